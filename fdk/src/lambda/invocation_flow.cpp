#include "lambda/invocation_flow.hpp"

#include "lambda/exception_type.hpp"
#include "lambda/invocation_mapping.hpp"

namespace fdk::lambda {

namespace {

// Lambda never sends more than 6 MB; an emulator might. The handler cannot get the event, and
// the caller learns why.
AcceptedInvocation oversize(const NextEvent& event) {
  std::string message = "The event is " + std::to_string(event.oversize_bytes) + " bytes, more than the " +
                        std::to_string(kMaxEventBytes) + " bytes the runtime reads (Lambda sends at most 6 MB).";
  AcceptedInvocation accepted;
  accepted.log_line = "fdk-cpp: invocation " + event.request_id + ": " + message;
  accepted.answer = error_post({std::string(kRequestTooLarge), "RequestTooLarge", message, std::nullopt});
  return accepted;
}

}  // namespace

InvocationSetup InvocationSetup::from_environment(std::shared_ptr<const Config> environment,
                                                  std::chrono::milliseconds deadline_margin) {
  InvocationSetup setup;
  setup.process_attributes = lambda::process_attributes(*environment);
  setup.function = function_identity(std::move(environment));
  setup.deadline_margin = deadline_margin;
  return setup;
}

AcceptedInvocation accept_invocation(NextEvent&& event, const InvocationSetup& setup) {
  if (event.oversize_bytes > 0) return oversize(event);
  AcceptedInvocation accepted;
  accepted.http = read_http_event(event.body);
  core::Invocation invocation = invocation_from(std::move(event), accepted.http, setup.function, setup.process_attributes);
  // Lambda kills the process at its deadline: cancel early enough for the handler to react.
  if (invocation.deadline) *invocation.deadline -= setup.deadline_margin;
  protocol::PreparedCall& call = accepted.call;
  protocol::arm_cancel_flag(call);
  call.context = core::make_context(invocation, call.cancelled);
  call.body = std::move(invocation.body);
  if (accepted.http && !accepted.http->problem.empty()) {
    core::CallResult refused = core::bad_request_result(call.context.call_id(), accepted.http->problem);
    accepted.log_line = std::move(refused.log_line);
    accepted.answer = post_for(accepted.http, refused, "");
  }
  return accepted;
}

Handler noting_exception_type(const Handler& handler, std::shared_ptr<std::string> type) {
  return [&handler, type = std::move(type)](Context& context, std::string_view body) -> Response {
    try {
      return handler(context, body);
    } catch (...) {
      *type = current_exception_type();
      throw;
    }
  };
}

std::optional<RuntimePost> post_after(const AcceptedInvocation& invocation, const core::CallResult& result,
                                      const std::string& exception_type) {
  if (result.kind == core::ResultKind::deadline_passed) return std::nullopt;
  return post_for(invocation.http, result, exception_type);
}

}  // namespace fdk::lambda
