// core::CallResult: how a call ended, in platform-neutral terms, and the results the FDK
// makes itself (failures, refusals). Each transport renders a CallResult on its own wire
// (Fn: protocol/fn_rendering.hpp). No I/O.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include "fdk/response.hpp"

namespace fdk::core {

enum class ResultKind {
  ok,               ///< the handler returned a valid Response
  http_error,       ///< the handler threw fdk::HttpError with a valid status
  handler_failed,   ///< it threw anything else, or returned a Response that cannot be sent
  deadline_passed,  ///< the deadline arrived before the handler returned
  too_large,        ///< the request body is over the limit; the handler never ran
  bad_request,      ///< the request is not a call this function can take; the handler never ran
  unavailable,      ///< the function could not start the call (no thread, too many stuck handlers)
};

/// `response` is the caller-facing answer: the handler's on ok, otherwise a JSON body
/// `{"message": ..., "call_id": ...}` (call_id left out when unknown) with a status saying
/// what happened (HttpError's, 500, 504, 413, 400/404/405, 503).
struct CallResult {
  ResultKind kind = ResultKind::handler_failed;
  Response response;
  /// One structured (JSON) line for stderr explaining a failure, or empty. The transport
  /// writes it once the call is answered.
  std::string log_line;
};

/// The handler failed: `what` says how (an exception's message, or the problem with its Response).
[[nodiscard]] CallResult handler_failed_result(const std::string& call_id, const std::string& what);

/// The handler threw fdk::HttpError(status, message) with a status the caller can receive.
[[nodiscard]] CallResult http_error_result(const std::string& call_id, int status, const std::string& message);

/// The deadline passed before the handler returned.
[[nodiscard]] CallResult deadline_result(const std::string& call_id, std::chrono::system_clock::time_point deadline);

/// The request body (`body_bytes` seen) is larger than `limit_bytes` (FDK_MAX_BODY_BYTES).
[[nodiscard]] CallResult too_large_result(const std::string& call_id, std::size_t body_bytes,
                                          std::size_t limit_bytes);

/// A request the function refuses without running the handler; `status` is what the caller
/// sees (400 for bytes that are not HTTP, 404 or 405 for a path or method the transport
/// does not serve). `problem` is one sentence naming what was wrong.
[[nodiscard]] CallResult bad_request_result(const std::string& call_id, const std::string& problem,
                                            int status = 400);

/// The function cannot start the call now (503 for the caller); `problem` says why.
[[nodiscard]] CallResult unavailable_result(const std::string& call_id, const std::string& problem);

}  // namespace fdk::core
