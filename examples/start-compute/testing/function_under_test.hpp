// End-to-end test support: a real example binary started as the Fn agent starts it (Unix
// socket, FN_* variables, function config in the environment) and called over that socket.
#pragma once

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>

#include "agent_connection.hpp"
#include "function_process.hpp"
#include "testing/agent_request.hpp"

namespace example_test {

/// One function process with its stderr kept in a file, and one agent connection to it.
class FunctionUnderTest {
 public:
  FunctionUnderTest(const std::string& binary, std::map<std::string, std::string> environment)
      : logs_(make_log_directory()), process_(launch(binary, std::move(environment), logs_)),
        connection_(process_.socket_path()) {}
  ~FunctionUnderTest() {
    std::error_code ignored;
    std::filesystem::remove_all(logs_, ignored);  // the process keeps its open files until it stops
  }
  FunctionUnderTest(const FunctionUnderTest&) = delete;
  FunctionUnderTest& operator=(const FunctionUnderTest&) = delete;

  /// Sends one call with `body` and a deadline `timeout` from now (milliseconds, not rounded
  /// to whole seconds); waits a little past the deadline for the answer.
  fdk::protocol::RawResponse call(const std::string& body, std::chrono::milliseconds timeout) {
    fdk::protocol::AgentCall call;
    call.call_id = "01EXAMPLEE2E" + std::to_string(++calls_);
    call.body = body;
    call.content_type = body.empty() ? "" : "application/json";
    call.deadline = std::chrono::system_clock::now() + timeout;
    call.whole_second_deadline = false;
    return connection_.call(call, timeout + std::chrono::seconds(5));
  }

  /// What the function wrote on stderr so far.
  [[nodiscard]] std::string stderr_text() const {
    std::ifstream in(logs_ + "/stderr", std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

 private:
  static std::string make_log_directory() {
    std::string pattern = "/tmp/fdk-example-e2e-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a log directory");
    return pattern;
  }

  static fdk::invoker::FunctionProcess launch(const std::string& binary, std::map<std::string, std::string> environment,
                                              const std::string& logs) {
    fdk::invoker::LaunchOptions options;
    options.argv = {binary};
    options.config = std::move(environment);
    options.stdout_path = logs + "/stdout";
    options.stderr_path = logs + "/stderr";
    options.start_timeout = std::chrono::seconds(10);  // a loaded CI machine
    return fdk::invoker::FunctionProcess::launch(options);
  }

  std::string logs_;
  fdk::invoker::FunctionProcess process_;
  fdk::invoker::AgentConnection connection_;
  int calls_ = 0;
};

/// The status the gateway caller sees: Fn-Http-Status, or the agent status when absent.
inline int gateway_status(const fdk::protocol::RawResponse& response) {
  const auto status = response.headers.get("Fn-Http-Status");
  return status ? std::stoi(*status) : response.status;
}

}  // namespace example_test
