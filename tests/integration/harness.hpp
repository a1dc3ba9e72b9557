// Shared helpers for integration tests: start a test function, call it, read its logs.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "agent_connection.hpp"
#include "function_process.hpp"
#include "testing/agent_request.hpp"

namespace itest {

using namespace std::chrono_literals;

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// A directory removed with everything in it when the test is done.
struct ScratchDir {
  std::string path;
  explicit ScratchDir(std::string p) : path(std::move(p)) {}
  ScratchDir(ScratchDir&& other) noexcept : path(std::move(other.path)) { other.path.clear(); }
  ScratchDir(const ScratchDir&) = delete;
  ~ScratchDir() {
    std::error_code ignored;
    if (!path.empty()) std::filesystem::remove_all(path, ignored);
  }
};

/// A started function with its stdout/stderr captured in files in a scratch directory.
struct RunningFunction {
  fdk::invoker::FunctionProcess process;
  std::string stdout_path;
  std::string stderr_path;
  ScratchDir logs;

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
  return RunningFunction{std::move(process), options.stdout_path, options.stderr_path, ScratchDir(logs)};
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
