#include "core/run_handler.hpp"

#include "core/response_check.hpp"
#include "fdk/http_error.hpp"

namespace fdk::core {

CallResult run_handler(const Handler& handler, Context& context, std::string_view body) noexcept {
  const std::string& call_id = context.call_id();
  try {
    try {
      Response response = handler(context, body);
      std::string problem = response_problem(response);
      if (!problem.empty()) return handler_failed_result(call_id, problem);
      return CallResult{ResultKind::ok, std::move(response), {}};
    } catch (const HttpError& error) {
      // Same rule as a returned Response: a status the caller cannot receive is a handler bug.
      if (!is_sendable_status(error.status())) {
        return handler_failed_result(call_id, "it threw fdk::HttpError with status " +
                                                  std::to_string(error.status()) +
                                                  ", which is not between 100 and 599.");
      }
      return http_error_result(call_id, error.status(), error.what());
    } catch (const std::exception& error) {
      return handler_failed_result(call_id, error.what());
    } catch (...) {
      return handler_failed_result(call_id, "it threw an exception that is not derived from std::exception.");
    }
  } catch (...) {
    // Building the failure itself failed (out of memory): keep the process alive anyway
    // with a bare failure (empty body, no log line).
    return CallResult{ResultKind::handler_failed, Response::empty(500), {}};
  }
}

CallResult result_at(CallResult result, const Context& context, std::chrono::system_clock::time_point finished) {
  if (!context.has_deadline() || finished < context.deadline()) return result;
  return deadline_result(context.call_id(), context.deadline());
}

}  // namespace fdk::core
