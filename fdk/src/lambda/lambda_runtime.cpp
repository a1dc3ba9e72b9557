#include "lambda/lambda_runtime.hpp"

#include <condition_variable>
#include <cstdlib>
#include <mutex>

#include "lambda/invocation_flow.hpp"
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
};

// X-Ray SDKs read the trace header of the current invocation from the environment.
void export_trace_header(const std::string& trace_header) {
  if (trace_header.empty()) {
    ::unsetenv("_X_AMZN_TRACE_ID");
  } else {
    ::setenv("_X_AMZN_TRACE_ID", trace_header.c_str(), 1);
  }
}

class InvocationServer {
 public:
  InvocationServer(const Handler& handler, std::shared_ptr<const Config> environment,
                   std::chrono::milliseconds deadline_margin)
      : handler_(handler), setup_(InvocationSetup::from_environment(std::move(environment), deadline_margin)) {}

  std::optional<RuntimePost> serve(NextEvent&& event) noexcept {
    try {
      export_trace_header(event.trace_id);
      AcceptedInvocation invocation = accept_invocation(std::move(event), setup_);
      if (!invocation.log_line.empty()) runtime::write_stderr_line(invocation.log_line);
      if (invocation.answer) return std::move(invocation.answer);
      auto exception_type = std::make_shared<std::string>();
      core::CallResult result = run(invocation.call, exception_type);
      if (!result.log_line.empty()) runtime::write_stderr_line(result.log_line);
      return post_after(invocation, result, *exception_type);
    } catch (const std::exception& error) {
      // Out of memory while mapping: still answer, or the invocation hangs until the timeout.
      return error_post({std::string(kUnavailable), "Unavailable", error.what(), std::nullopt});
    }
  }

 private:
  // Runs the handler on a pool thread and waits for it. At the deadline the call is marked
  // cancelled and the wait goes on: Lambda ends the process itself (timeout policy A).
  core::CallResult run(protocol::PreparedCall& call, const std::shared_ptr<std::string>& exception_type) {
    Context& context = call.context;
    auto finished = std::make_shared<Finished>();
    Handler noting = noting_exception_type(handler_, exception_type);
    try {
      pool_.submit([&call, noting, finished] {
        core::CallResult result = core::run_handler(noting, call.context, call.body);
        result = core::result_at(std::move(result), call.context, std::chrono::system_clock::now());
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
      call.cancelled->store(true, std::memory_order_release);
      runtime::write_stderr_line("fdk-cpp: invocation " + context.call_id() +
                                 " passed its deadline; cancelled() is now true and Lambda will stop the runtime.");
    }
    finished->done.wait(lock, [&] { return finished->finished; });
    return std::move(finished->result);
  }

  const Handler& handler_;
  InvocationSetup setup_;
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
