#include "core/call_result.hpp"

#include <nlohmann/json.hpp>

#include "http/date.hpp"
#include "log_record.hpp"

namespace fdk::core {

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

CallResult failure(ResultKind kind, int status, LogLevel level, const std::string& call_id,
                   const std::string& message) {
  return CallResult{kind, error_response(message, call_id, status), log_line(level, call_id, message)};
}

}  // namespace

CallResult handler_failed_result(const std::string& call_id, const std::string& what) {
  return failure(ResultKind::handler_failed, 500, LogLevel::error, call_id, "The function's handler failed: " + what);
}

CallResult http_error_result(const std::string& call_id, int status, const std::string& message) {
  // The handler chose this answer: nothing went wrong in the FDK, so nothing is logged.
  return CallResult{ResultKind::http_error, error_response(message, call_id, status), {}};
}

CallResult deadline_result(const std::string& call_id, std::chrono::system_clock::time_point deadline) {
  std::string message = "The call passed its deadline (" + http::format_rfc3339(deadline) +
                        ") before the handler returned; its result will be discarded.";
  return failure(ResultKind::deadline_passed, 504, LogLevel::error, call_id, message);
}

CallResult too_large_result(const std::string& call_id, std::size_t body_bytes, std::size_t limit_bytes) {
  std::string message = "The request body (" + std::to_string(body_bytes) +
                        " bytes) is larger than this function's limit of " + std::to_string(limit_bytes) +
                        " bytes; send a smaller body or raise FDK_MAX_BODY_BYTES.";
  return failure(ResultKind::too_large, 413, LogLevel::warning, call_id, message);
}

CallResult bad_request_result(const std::string& call_id, const std::string& problem, int status) {
  return failure(ResultKind::bad_request, status, LogLevel::warning, call_id, problem);
}

CallResult unavailable_result(const std::string& call_id, const std::string& problem) {
  return failure(ResultKind::unavailable, 503, LogLevel::error, call_id, problem);
}

}  // namespace fdk::core
