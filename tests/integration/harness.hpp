// Shared helpers for integration tests: start a test function, call it, read its logs.
#pragma once

#include <chrono>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "agent_connection.hpp"
#include "function_process.hpp"
#include "protocol/agent_request.hpp"

namespace itest {

using namespace std::chrono_literals;

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// A started function with its stdout/stderr captured in files inside its socket directory.
struct RunningFunction {
  fdk::invoker::FunctionProcess process;
  std::string stdout_path;
  std::string stderr_path;

  std::string stdout_text() const { return read_file(stdout_path); }
  std::string stderr_text() const { return read_file(stderr_path); }
};

inline std::string make_dir() {
  std::string pattern = "/tmp/fdk-itest-XXXXXX";
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

inline RunningFunction start(const std::string& binary, std::map<std::string, std::string> config = {}) {
  std::string logs = make_dir();
  fdk::invoker::LaunchOptions options;
  options.argv = {binary};
  options.config = std::move(config);
  options.stdout_path = logs + "/stdout";
  options.stderr_path = logs + "/stderr";
  auto process = fdk::invoker::FunctionProcess::launch(options);
  return RunningFunction{std::move(process), options.stdout_path, options.stderr_path};
}

inline fdk::protocol::AgentCall call_doing(const std::string& action, std::string body = "") {
  fdk::protocol::AgentCall call;
  call.call_id = "01ITEST" + action;
  call.deadline = std::chrono::system_clock::now() + 30s;
  call.headers.add("X-Do", action);
  call.body = std::move(body);
  return call;
}

}  // namespace itest
