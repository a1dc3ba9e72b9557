// One Lambda invocation from the `next` event to what is posted back, without the I/O: the
// Runtime API loop (lambda/lambda_runtime.cpp) and fdk::testing both serve invocations through
// it, on threads of their own choosing.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/call_core.hpp"
#include "fdk/config.hpp"
#include "fdk/run.hpp"
#include "lambda/http_event.hpp"
#include "lambda/next_event.hpp"
#include "lambda/runtime_post.hpp"
#include "protocol/call_flow.hpp"

namespace fdk::lambda {

/// What every invocation of the process shares, read once from the environment.
struct InvocationSetup {
  core::FunctionIdentity function;
  PlatformAttributes process_attributes;
  /// `cancelled()` turns true this long before Lambda's deadline (FDK_DEADLINE_MARGIN_MS).
  std::chrono::milliseconds deadline_margin{0};

  [[nodiscard]] static InvocationSetup from_environment(std::shared_ptr<const Config> environment,
                                                        std::chrono::milliseconds deadline_margin);
};

/// An invocation taken from `next`: answered already (`answer` set: the handler must not see
/// it), or a call ready for the handler.
struct AcceptedInvocation {
  /// What to post instead of running the handler (an event larger than the runtime reads, an
  /// HTTP event that cannot be served), and the stderr line that says why.
  std::optional<RuntimePost> answer;
  std::string log_line;
  /// The caller's request when the event is an HTTP event (API Gateway, function URL, ALB).
  std::optional<HttpEvent> http;
  protocol::PreparedCall call;
};

/// Maps the event to a call: the deadline is Lambda's less the setup's margin.
[[nodiscard]] AcceptedInvocation accept_invocation(NextEvent&& event, const InvocationSetup& setup);

/// `handler`, noting in `*type` the demangled type of any exception it lets out (Lambda's
/// `errorType`); the exception still reaches the call core.
[[nodiscard]] Handler noting_exception_type(const Handler& handler, std::shared_ptr<std::string> type);

/// What to post once the call has its result: nothing when the deadline passed, because Lambda
/// has given up on the invocation and is stopping the runtime (a late answer would only race
/// the kill); else post_for().
[[nodiscard]] std::optional<RuntimePost> post_after(const AcceptedInvocation& invocation,
                                                    const core::CallResult& result,
                                                    const std::string& exception_type);

}  // namespace fdk::lambda
