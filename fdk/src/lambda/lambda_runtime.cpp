#include "lambda/lambda_runtime.hpp"

#include <condition_variable>
#include <cstdlib>
#include <mutex>

#include "lambda/exception_type.hpp"
#include "lambda/invocation_mapping.hpp"
#include "lambda/runtime_loop.hpp"
#include "runtime/handler_pool.hpp"
#include "runtime/log.hpp"

namespace fdk::lambda {

namespace {

// What the handler thread hands back to the loop thread.
struct Finished {
  std::mutex mutex;
  std::condition_variable done;
  bool finished = false;
  core::CallResult result;
  std::string exception_type;
};

// Notes the type of any exception the handler lets out, for Lambda's errorType, and lets the
// call core turn it into the result as for every platform.
Handler noting_exception_type(const Handler& handler, std::shared_ptr<Finished> finished) {
  return [&handler, finished](Context& context, std::string_view body) -> Response {
    try {
      return handler(context, body);
    } catch (...) {
      finished->exception_type = current_exception_type();
      throw;
    }
  };
}

// X-Ray SDKs read the trace header of the current invocation from the environment.
void export_trace_header(const std::string& trace_header) {
  if (trace_header.empty()) {
    ::unsetenv("_X_AMZN_TRACE_ID");
  } else {
    ::setenv("_X_AMZN_TRACE_ID", trace_header.c_str(), 1);
  }
}

// Lambda never sends more than 6 MB; an emulator might. The handler cannot get the event, and
// the caller learns why.
RuntimePost oversize_event(const NextEvent& event) {
  std::string message = "The event is " + std::to_string(event.oversize_bytes) + " bytes, more than the " +
                        std::to_string(kMaxEventBytes) + " bytes the runtime reads (Lambda sends at most 6 MB).";
  runtime::write_stderr_line("fdk-cpp: invocation " + event.request_id + ": " + message);
  return error_post({std::string(kRequestTooLarge), "RequestTooLarge", message, std::nullopt});
}

class InvocationServer {
 public:
  InvocationServer(const Handler& handler, std::shared_ptr<const Config> environment,
                   std::chrono::milliseconds deadline_margin)
      : handler_(handler),
        function_(function_identity(environment)),
        process_attributes_(process_attributes(*environment)),
        deadline_margin_(deadline_margin) {}

  std::optional<RuntimePost> serve(NextEvent&& event) noexcept {
    try {
      export_trace_header(event.trace_id);
      if (event.oversize_bytes > 0) return oversize_event(event);
      std::optional<HttpEvent> http = read_http_event(event.body);
      core::Invocation invocation = invocation_from(std::move(event), http, function_, process_attributes_);
      // Lambda kills the process at its deadline: cancel early enough for the handler to react.
      if (invocation.deadline) *invocation.deadline -= deadline_margin_;
      auto cancelled = std::make_shared<std::atomic<bool>>(false);
      Context context = core::make_context(invocation, cancelled);
      auto finished = std::make_shared<Finished>();
      if (http && !http->problem.empty()) {
        finished->result = core::bad_request_result(context.call_id(), http->problem);
      } else {
        finished->result = run(context, std::move(invocation.body), cancelled, finished);
      }
      if (!finished->result.log_line.empty()) runtime::write_stderr_line(finished->result.log_line);
      // Past the deadline Lambda has given up on the invocation and is stopping the runtime:
      // a late answer would only race the kill (timeout policy A).
      if (finished->result.kind == core::ResultKind::deadline_passed) return std::nullopt;
      return post_for(http, finished->result, finished->exception_type);
    } catch (const std::exception& error) {
      // Out of memory while mapping: still answer, or the invocation hangs until the timeout.
      return error_post({std::string(kUnavailable), "Unavailable", error.what(), std::nullopt});
    }
  }

 private:
  // Runs the handler on a pool thread and waits for it. At the deadline the call is marked
  // cancelled and the wait goes on: Lambda ends the process itself (timeout policy A).
  core::CallResult run(Context& context, std::string body, const std::shared_ptr<std::atomic<bool>>& cancelled,
                       const std::shared_ptr<Finished>& finished) {
    Handler noting = noting_exception_type(handler_, finished);
    try {
      pool_.submit([&context, &body, noting, finished] {
        core::CallResult result = core::run_handler(noting, context, body);
        result = core::result_at(std::move(result), context, std::chrono::system_clock::now());
        std::lock_guard<std::mutex> lock(finished->mutex);
        finished->result = std::move(result);
        finished->finished = true;
        finished->done.notify_one();
      });
    } catch (const std::exception& error) {
      return core::unavailable_result(context.call_id(),
                                      std::string("The function could not start a thread for the call: ") +
                                          error.what());
    }
    std::unique_lock<std::mutex> lock(finished->mutex);
    if (context.has_deadline() &&
        !finished->done.wait_until(lock, context.deadline(), [&] { return finished->finished; })) {
      cancelled->store(true, std::memory_order_release);
      runtime::write_stderr_line("fdk-cpp: invocation " + context.call_id() +
                                 " passed its deadline; cancelled() is now true and Lambda will stop the runtime.");
    }
    finished->done.wait(lock, [&] { return finished->finished; });
    return std::move(finished->result);
  }

  const Handler& handler_;
  core::FunctionIdentity function_;
  PlatformAttributes process_attributes_;
  std::chrono::milliseconds deadline_margin_;
  runtime::HandlerPool pool_;
};

}  // namespace

int serve_on_lambda(const Handler& handler, std::shared_ptr<const Config> environment,
                    std::chrono::milliseconds deadline_margin, const std::string& announcement) {
  auto address = parse_runtime_api_address(environment->get_or("AWS_LAMBDA_RUNTIME_API", ""));
  if (auto* problem = std::get_if<std::string>(&address)) {
    runtime::write_stderr_line("fdk-cpp: cannot start: " + *problem);
    return 2;
  }
  runtime::write_stderr_line(announcement);
  RuntimeApiClient client(std::get<RuntimeApiAddress>(address));
  if (!handler) {
    report_init_error(client, "fdk::run was given an empty handler.");
    return 2;
  }
  InvocationServer server(handler, std::move(environment), deadline_margin);
  return run_runtime_loop(client, [&server](NextEvent&& event) { return server.serve(std::move(event)); });
}

}  // namespace fdk::lambda
