#include "runtime/stdio_transport.hpp"

#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "core/call_core.hpp"
#include "httphost/host_environment.hpp"
#include "httphost/stdio_mapping.hpp"
#include "runtime/log.hpp"

namespace fdk::runtime {

namespace {

constexpr int kExitStartup = 2;

// Reads stdin to the end, keeping at most `limit + 1` bytes (one more says "too large").
// Returns false when stdin cannot be read.
bool read_stdin(std::size_t limit, std::string& body, std::size_t& seen) {
  char buffer[64 * 1024];
  for (;;) {
    ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno == EBADF;  // no stdin at all reads as an empty body
    if (n == 0) return true;
    seen += static_cast<std::size_t>(n);
    if (body.size() <= limit) body.append(buffer, static_cast<std::size_t>(std::min<std::size_t>(n, limit + 1 - body.size())));
  }
}

int finish(const protocol::Outcome& outcome, int body_fd) {
  if (!outcome.log_line.empty()) write_stderr_line(outcome.log_line);
  flush_handler_output();
  write_all(body_fd, outcome.response.body());
  return httphost::stdio_exit_status(outcome);
}

// The handler runs on its own thread so that the process can leave at the deadline, before the
// watchdog kills it, with a line saying why. Returns nothing when the deadline came first.
std::optional<protocol::Outcome> run_until_deadline(const Handler& handler, protocol::PreparedCall& call) {
  struct Shared {
    std::mutex mutex;
    std::condition_variable done;
    std::optional<protocol::Outcome> outcome;
  };
  auto shared = std::make_shared<Shared>();
  std::thread worker([shared, &handler, &call] {
    auto outcome = protocol::to_outcome(core::run_handler(handler, call.context, call.body));
    std::lock_guard lock(shared->mutex);
    shared->outcome = std::move(outcome);
    shared->done.notify_one();
  });
  std::unique_lock lock(shared->mutex);
  auto deadline = call.context.deadline();
  bool finished = !call.context.has_deadline()
                      ? (shared->done.wait(lock, [&] { return shared->outcome.has_value(); }), true)
                      : shared->done.wait_until(lock, deadline, [&] { return shared->outcome.has_value(); });
  if (!finished) {
    call.cancelled->store(true, std::memory_order_release);
    worker.detach();  // the process exits now; the handler's thread goes with it
    return std::nullopt;
  }
  lock.unlock();
  worker.join();
  return std::move(shared->outcome);
}

}  // namespace

int serve_stdio(const Handler& handler, const ServerSettings& settings, const Config& config) {
  write_stderr_line("fdk-cpp: platform stdio (Http_Method): one call, only the response body goes to stdout.");
  if (config.get_or("combine_output", "") != "false") {
    write_stderr_line("fdk-cpp: warning: set combine_output=false on the OpenFaaS classic watchdog, or every line "
                      "this function logs on stderr becomes part of the response body.");
  }
  // stdout carries the response body and nothing else: what the handler (or a library) prints
  // there goes to stderr, the log, and the body goes to a copy of the original descriptor.
  int body_fd = ::dup(STDOUT_FILENO);
  if (body_fd < 0 || ::dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
    write_stderr_line("fdk-cpp: cannot start: stdout, which carries the response body, is not open.");
    return kExitStartup;
  }
  auto timeout = httphost::timeout_variable(config, "exec_timeout");
  if (auto* problem = std::get_if<std::string>(&timeout)) {
    write_stderr_line("fdk-cpp: cannot start: " + *problem);
    return kExitStartup;
  }
  std::string body;
  std::size_t seen = 0;
  if (!read_stdin(settings.limits.max_body_bytes, body, seen)) {
    write_stderr_line("fdk-cpp: cannot start: stdin, which carries the request body, cannot be read.");
    return kExitStartup;
  }
  auto now = std::chrono::system_clock::now();
  auto call = httphost::stdio_call(config, settings.environment, std::get<0>(timeout), std::move(body), now);
  if (seen > settings.limits.max_body_bytes) {
    return finish(
        protocol::to_outcome(core::too_large_result(call.context.call_id(), seen, settings.limits.max_body_bytes)),
        body_fd);
  }
  auto outcome = run_until_deadline(handler, call);
  if (!outcome) {
    int code =
        finish(protocol::to_outcome(core::deadline_result(call.context.call_id(), call.context.deadline())), body_fd);
    std::_Exit(code);  // the handler's thread is still running: no destructors, no joins
  }
  return finish(*outcome, body_fd);
}

}  // namespace fdk::runtime
