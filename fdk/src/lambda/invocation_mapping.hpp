// A Lambda invocation into the call core and the core's CallResult back into a Runtime API
// post. No I/O.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/call_core.hpp"
#include "fdk/config.hpp"
#include "lambda/http_event.hpp"
#include "lambda/next_event.hpp"
#include "lambda/runtime_post.hpp"

namespace fdk::lambda {

/// The function as Lambda describes it: AWS_LAMBDA_FUNCTION_NAME as the fn name,
/// AWS_LAMBDA_FUNCTION_MEMORY_SIZE as the memory (0 when unset), the environment as config.
[[nodiscard]] core::FunctionIdentity function_identity(std::shared_ptr<const Config> environment);

/// The X-Ray header (`Root=1-...;Parent=...;Sampled=1`) as the handler's tracing context:
/// trace id from Root, span id from Parent, sampled from Sampled; disabled when absent.
[[nodiscard]] TracingContext xray_tracing(const std::string& trace_header, const std::string& service_name);

/// The call core's view of an invocation. Raw events: the event JSON is the body. HTTP
/// events (`http` set): the caller's request is the gateway view and its body the body.
/// Context::headers() are the `next` answer's headers either way.
[[nodiscard]] core::Invocation invocation_from(NextEvent&& event, const std::optional<HttpEvent>& http,
                                               const core::FunctionIdentity& function,
                                               const PlatformAttributes& process_attributes);

/// What to post for a call's result. An HTTP caller's answer (ok, HttpError, a refused
/// request) goes to `/response` as the service's JSON; for a raw event only ok does, and
/// everything else is an `/error`. A handler failure, a passed deadline and an unavailable
/// function are always `/error`s. `exception_type` is the demangled type of what the handler
/// threw (empty when it threw nothing). Over 6 MB becomes ResponseSizeTooLarge.
[[nodiscard]] RuntimePost post_for(const std::optional<HttpEvent>& http, const core::CallResult& result,
                                   const std::string& exception_type);

}  // namespace fdk::lambda
