#include "protocol/call_flow.hpp"

#include <nlohmann/json.hpp>

#include "fdk/http_error.hpp"
#include "log_record.hpp"
#include "protocol/context_mapping.hpp"
#include "protocol/deadline.hpp"

namespace fdk::protocol {

namespace {

// Messages quote request bytes (paths, call ids), which need not be UTF-8: replace bad
// sequences instead of letting the JSON encoder throw.
std::string json_text(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Response error_response(const std::string& message, const std::string& call_id, int status) {
  nlohmann::json body = {{"message", message}};
  if (!call_id.empty()) body["call_id"] = call_id;
  return Response::empty(status).set_body(json_text(body)).set_content_type("application/json");
}

std::string log_line(LogLevel level, const std::string& call_id, const std::string& message) {
  return detail::format_log_record(std::chrono::system_clock::now(), level, call_id, message, nlohmann::json());
}

bool is_token_char(char c) {
  static constexpr std::string_view kSeparators = "()<>@,;:\\\"/[]?={} \t";
  return c > 32 && c < 127 && kSeparators.find(c) == std::string_view::npos;
}

bool is_valid_header_name(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

bool is_valid_header_value(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

// A response that would corrupt the wire (CRLF in a header) or get the container killed
// (a status the gateway cannot carry) is a handler bug: report it instead of sending it.
std::string response_problem(const Response& response) {
  if (response.status() < 100 || response.status() > 599) {
    return "The handler returned HTTP status " + std::to_string(response.status()) +
           ", which is not between 100 and 599.";
  }
  if (!is_valid_header_value(response.content_type())) {
    return "The handler's content type contains a line break or NUL byte.";
  }
  for (const auto& [name, value] : response.headers()) {
    if (!is_valid_header_name(name)) return "The handler returned an invalid header name '" + name + "'.";
    if (!is_valid_header_value(value)) {
      return "The handler's header '" + name + "' has a value containing a line break or NUL byte.";
    }
  }
  return {};
}

Outcome handler_failure(const std::string& call_id, const std::string& what) {
  std::string message = "The function's handler failed: " + what;
  return Outcome{502, error_response(message, call_id, 502), log_line(LogLevel::error, call_id, message)};
}

}  // namespace

std::variant<Outcome, PreparedCall> accept_request(RawRequest&& request, const FunctionEnvironment& env,
                                                   const ParserLimits& limits, SystemTime now) {
  std::string call_id = request.headers.get_or("Fn-Call-Id", "");
  std::string path = request.target.substr(0, request.target.find('?'));
  if (request.method != "POST") {
    // The agent sends every call, even a gateway GET, as POST /call; anything else is not
    // a call and must not run the handler. A HEAD answer carries no body (RFC 9110 9.3.2).
    std::string message = "This is an Fn function: it serves only POST /call (what the Fn agent sends), not " +
                          request.method + " " + request.target + ".";
    Outcome refused{502, error_response(message, call_id, 405), log_line(LogLevel::warning, call_id, message)};
    refused.omit_body = request.method == "HEAD";
    return refused;
  }
  if (path != "/call") {
    std::string message = "This is an Fn function: it serves only POST /call (what the Fn agent sends), not " +
                          request.method + " " + request.target + ".";
    return Outcome{502, error_response(message, call_id, 404), log_line(LogLevel::warning, call_id, message)};
  }
  if (request.body_too_large) return too_large_outcome(call_id, request.body_bytes_seen, limits.max_body_bytes);

  PreparedCall call;
  call.cancelled = std::make_shared<std::atomic<bool>>(false);
  call.log_frame = log_frame_line(env, request.headers);
  call.context = map_request(request, env, now, call.cancelled);
  call.body = std::move(request.body);
  return call;
}

Outcome too_large_outcome(const std::string& call_id, std::size_t seen, std::size_t limit) {
  std::string message = "The request body (" + std::to_string(seen) + " bytes) is larger than this function's limit of " +
                        std::to_string(limit) + " bytes; send a smaller body or raise FDK_MAX_BODY_BYTES.";
  return Outcome{200, error_response(message, call_id, 413), log_line(LogLevel::warning, call_id, message)};
}

Outcome run_handler(const Handler& handler, PreparedCall& call) noexcept {
  const std::string& call_id = call.context.call_id();
  try {
    try {
      Response response = handler(call.context, call.body);
      std::string problem = response_problem(response);
      if (!problem.empty()) return handler_failure(call_id, problem);
      return Outcome{200, std::move(response), {}};
    } catch (const HttpError& error) {
      // Same rule as a returned Response: a status the gateway cannot carry is a handler bug.
      if (error.status() < 100 || error.status() > 599) {
        return handler_failure(call_id, "it threw fdk::HttpError with status " + std::to_string(error.status()) +
                                            ", which is not between 100 and 599.");
      }
      return Outcome{200, error_response(error.what(), call_id, error.status()), {}};
    } catch (const std::exception& error) {
      return handler_failure(call_id, error.what());
    } catch (...) {
      return handler_failure(call_id, "it threw an exception that is not derived from std::exception.");
    }
  } catch (...) {
    // Building the failure itself failed (out of memory): keep the process alive anyway.
    Outcome last_resort;
    last_resort.agent_status = 502;
    return last_resort;
  }
}

Outcome deadline_outcome(const std::string& call_id, SystemTime deadline) {
  std::string message = "The call passed its deadline (" + format_rfc3339(deadline) +
                        ") before the handler returned; its result will be discarded.";
  return Outcome{504, error_response(message, call_id, 504), log_line(LogLevel::error, call_id, message)};
}

Outcome outcome_at(Outcome outcome, const Context& context, SystemTime finished) {
  if (finished < context.deadline()) return outcome;
  return deadline_outcome(context.call_id(), context.deadline());
}

Outcome unavailable_outcome(const std::string& call_id, const std::string& problem) {
  return Outcome{502, error_response(problem, call_id, 503), log_line(LogLevel::error, call_id, problem)};
}

Outcome malformed_request_outcome(const std::string& problem) {
  return Outcome{502, error_response(problem, "", 400), log_line(LogLevel::warning, "", problem)};
}

}  // namespace fdk::protocol
