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

void arm_cancel_flag(PreparedCall& call) {
  // Two holders are the call and its own Context; a third would be a handler's copy.
  if (call.cancelled && call.cancelled.use_count() <= 2) {
    call.cancelled->store(false, std::memory_order_relaxed);
  } else {
    call.cancelled = std::make_shared<std::atomic<bool>>(false);
  }
}

std::optional<Outcome> accept_request(RawRequest&& request, const FunctionEnvironment& env,
                                      const ParserLimits& limits, SystemTime now, PreparedCall& call) {
  // Views, not copies: compared with literals of known size, they cost a few instructions.
  const std::string_view method = request.method;
  const std::string_view target = request.target;
  const std::string_view path = target.substr(0, target.find('?'));
  if (method != "POST") {
    // The agent sends every call, even a gateway GET, as POST /call; anything else is not
    // a call and must not run the handler. A HEAD answer carries no body (RFC 9110 9.3.2).
    std::string call_id = request.headers.get_or("Fn-Call-Id", "");
    return to_outcome(core::bad_request_result(call_id, not_a_call(request), 405), method == "HEAD");
  }
  if (path != "/call") {
    std::string call_id = request.headers.get_or("Fn-Call-Id", "");
    return to_outcome(core::bad_request_result(call_id, not_a_call(request), 404));
  }
  if (request.body_too_large) {
    std::string call_id = request.headers.get_or("Fn-Call-Id", "");
    return to_outcome(core::too_large_result(call_id, request.body_bytes_seen, limits.max_body_bytes));
  }

  arm_cancel_flag(call);
  call.log_frame = log_frame_line(env, request.headers);
  core::Invocation invocation = to_invocation(request, env, now);
  core::fill_context(call.context, invocation, call.cancelled);
  call.body = std::move(invocation.body);
  return std::nullopt;
}

std::variant<Outcome, PreparedCall> accept_request(RawRequest&& request, const FunctionEnvironment& env,
                                                   const ParserLimits& limits, SystemTime now) {
  return accepted_value(
      [&](PreparedCall& call) { return accept_request(std::move(request), env, limits, now, call); });
}

Outcome malformed_request_outcome(const std::string& problem) {
  return to_outcome(core::bad_request_result("", problem));
}

}  // namespace fdk::protocol
