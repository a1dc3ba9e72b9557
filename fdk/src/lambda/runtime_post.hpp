// What the runtime posts back to the Runtime API for one invocation (or for a failed start):
// the target, the headers and the body. No I/O.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "fdk/headers.hpp"
#include "fdk/response.hpp"
#include "lambda/http_event.hpp"
#include "lambda/runtime_api_address.hpp"

namespace fdk::lambda {

/// Lambda refuses a synchronous response above 6 MB; the runtime checks before posting so the
/// caller gets a clear error instead of a refused POST.
inline constexpr std::size_t kMaxResponseBytes = 6u * 1024u * 1024u;

/// `Lambda-Runtime-Function-Error-Type` values. The Runtime API records anything not matching
/// `(Runtime|Function)\.[A-Z][a-zA-Z]+` as `Runtime.Unknown`.
inline constexpr std::string_view kUnhandledException = "Runtime.UnhandledException";
inline constexpr std::string_view kHttpErrorType = "Function.HttpError";
inline constexpr std::string_view kResponseTooLarge = "Function.ResponseSizeTooLarge";
inline constexpr std::string_view kRequestTooLarge = "Function.RequestTooLarge";
inline constexpr std::string_view kBadRequest = "Function.BadRequest";
inline constexpr std::string_view kTimeout = "Runtime.Timeout";
inline constexpr std::string_view kUnavailable = "Runtime.Unavailable";
inline constexpr std::string_view kInitError = "Runtime.InitError";

/// One POST to the Runtime API.
struct RuntimePost {
  enum class Endpoint { response, error, init_error };
  Endpoint endpoint = Endpoint::response;
  Headers headers;  ///< Content-Type and, for errors, Lambda-Runtime-Function-Error-Type
  std::string body;
};

/// The Runtime API target (path) of the endpoint a post goes to.
[[nodiscard]] std::string post_target(const RuntimeApiAddress& address, const RuntimePost& post,
                                      const std::string& request_id);

/// A failure as Lambda reports it: `{"errorMessage", "errorType", "stackTrace": []}`.
struct FunctionError {
  std::string header_type;  ///< one of the constants above
  std::string error_type;   ///< what the caller sees: the exception's type, `HttpError`, ...
  std::string message;
  std::optional<int> status;  ///< an HttpError's status, added as `statusCode`
};

/// Posts the caller's answer. Raw event: the body as it is, with its Content-Type (the status
/// has nowhere to go). HTTP event: the JSON the service expects (see http_event_answer).
[[nodiscard]] RuntimePost answer_post(const std::optional<HttpEvent>& request, const Response& response);

/// Posts a failure to `/error` (or `/init/error` when `endpoint` says so).
[[nodiscard]] RuntimePost error_post(const FunctionError& error,
                                     RuntimePost::Endpoint endpoint = RuntimePost::Endpoint::error);

/// `post` itself when its body is within kMaxResponseBytes, else the ResponseSizeTooLarge
/// error that replaces it.
[[nodiscard]] RuntimePost within_size_limit(RuntimePost post);

/// The `message` of the FDK's JSON error bodies (`{"message": ..., "call_id": ...}`), or the
/// body itself when it is not one.
[[nodiscard]] std::string error_message_of(const Response& response);

}  // namespace fdk::lambda
