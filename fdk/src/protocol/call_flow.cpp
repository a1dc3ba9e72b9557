#include "protocol/call_flow.hpp"

#include "core/call_result.hpp"
#include "protocol/context_mapping.hpp"

namespace fdk::protocol {

namespace {

std::string not_a_call(const RawRequest& request) {
  return "This is an Fn function: it serves only POST /call (what the Fn agent sends), not " + request.method + " " +
         request.target + ".";
}

}  // namespace

std::variant<Outcome, PreparedCall> accept_request(RawRequest&& request, const FunctionEnvironment& env,
                                                   const ParserLimits& limits, SystemTime now) {
  std::string path = request.target.substr(0, request.target.find('?'));
  if (request.method != "POST") {
    // The agent sends every call, even a gateway GET, as POST /call; anything else is not
    // a call and must not run the handler. A HEAD answer carries no body (RFC 9110 9.3.2).
    std::string call_id = request.headers.get_or("Fn-Call-Id", "");
    return to_outcome(core::bad_request_result(call_id, not_a_call(request), 405), request.method == "HEAD");
  }
  if (path != "/call") {
    std::string call_id = request.headers.get_or("Fn-Call-Id", "");
    return to_outcome(core::bad_request_result(call_id, not_a_call(request), 404));
  }
  if (request.body_too_large) {
    std::string call_id = request.headers.get_or("Fn-Call-Id", "");
    return to_outcome(core::too_large_result(call_id, request.body_bytes_seen, limits.max_body_bytes));
  }

  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  std::string log_frame = log_frame_line(env, request.headers);
  core::Invocation invocation = to_invocation(request, env, now);
  // Built in place (the members in order, left to right): a Context is some forty members,
  // and each default construction or move of one shows on every call's path.
  return PreparedCall{core::make_context(invocation, cancelled), std::move(invocation.body), std::move(cancelled),
                      std::move(log_frame)};
}

Outcome malformed_request_outcome(const std::string& problem) {
  return to_outcome(core::bad_request_result("", problem));
}

}  // namespace fdk::protocol
