#include "lambda/runtime_loop.hpp"

#include "runtime/log.hpp"

namespace fdk::lambda {

namespace {

constexpr std::size_t kQuotedAnswerBytes = 300;

void post(RuntimeApiClient& client, const RuntimePost& what, const std::string& request_id) {
  auto answer = client.exchange("POST", post_target(client.address(), what, request_id), what.headers, what.body);
  if (auto* problem = std::get_if<std::string>(&answer)) {
    runtime::write_stderr_line("fdk-cpp: could not post the result of invocation " + request_id + ": " + *problem);
    return;
  }
  const auto& reply = std::get<http::RawResponse>(answer);
  if (reply.status != 202) {
    // 413 for a response the API finds too large, 400 for one it cannot read, 403 after
    // the deadline: the invocation is over either way, so say so and serve the next one.
    runtime::write_stderr_line("fdk-cpp: the Runtime API answered " + std::to_string(reply.status) +
                               " to the result of invocation " + request_id + ": " +
                               reply.body.substr(0, kQuotedAnswerBytes));
  }
}

}  // namespace

int run_runtime_loop(RuntimeApiClient& client, const ServeInvocation& serve) {
  for (;;) {
    auto answer = client.exchange("GET", client.address().next_target(), {}, {});
    if (auto* problem = std::get_if<std::string>(&answer)) {
      runtime::write_stderr_line("fdk-cpp: stopping: cannot get the next event: " + *problem + ".");
      return 1;
    }
    auto event = read_next_event(std::move(std::get<http::RawResponse>(answer)));
    if (auto* problem = std::get_if<std::string>(&event)) {
      runtime::write_stderr_line("fdk-cpp: stopping: " + *problem);
      return 1;
    }
    NextEvent& next = std::get<NextEvent>(event);
    std::string request_id = next.request_id;
    std::optional<RuntimePost> result = serve(std::move(next));
    // What the handler printed reaches CloudWatch before Lambda may freeze the process.
    runtime::flush_handler_output();
    if (result) post(client, *result, request_id);
  }
}

void report_init_error(RuntimeApiClient& client, const std::string& message) {
  runtime::write_stderr_line("fdk-cpp: cannot start: " + message);
  FunctionError error{std::string(kInitError), "InitError", message, std::nullopt};
  RuntimePost init = error_post(error, RuntimePost::Endpoint::init_error);
  auto answer = client.exchange("POST", post_target(client.address(), init, {}), init.headers, init.body);
  if (auto* problem = std::get_if<std::string>(&answer)) {
    runtime::write_stderr_line("fdk-cpp: could not report the start-up failure to the Runtime API: " + *problem);
  }
}

}  // namespace fdk::lambda
