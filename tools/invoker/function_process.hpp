// Starting a function binary the way the Fn agent does, and waiting for it to be ready.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace fdk::invoker {

/// A start-up or call failure, explained in one sentence.
class InvokeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct LaunchOptions {
  /// The function binary and its arguments.
  std::vector<std::string> argv;
  /// Function config: added to the environment (over the invoker's own).
  std::map<std::string, std::string> config;
  /// How long the function may take to create lsnr.sock (the agent allows 5 s).
  std::chrono::milliseconds start_timeout{5000};
  /// Directory for the socket; empty makes a fresh one under $TMPDIR (removed afterwards).
  std::string socket_dir;
  /// Files to send the function's stdout / stderr to; empty inherits the invoker's.
  std::string stdout_path;
  std::string stderr_path;
  /// When not -1, the function's stdout and stderr (those without a path above) go here.
  int output_fd = -1;
};

/// A running function. Stopping it (SIGTERM) and removing its temporary directory happen
/// in the destructor if not done before.
class FunctionProcess {
 public:
  /// Starts the binary with FN_LISTENER=unix:<dir>/lsnr.sock and the other FN_* variables,
  /// and returns once the agent would see it ready (lsnr.sock appears, a symlink with a
  /// relative target to a socket). Throws InvokeError saying what went wrong otherwise.
  static FunctionProcess launch(const LaunchOptions& options);

  FunctionProcess(FunctionProcess&& other) noexcept;
  FunctionProcess& operator=(FunctionProcess&&) = delete;
  FunctionProcess(const FunctionProcess&) = delete;
  ~FunctionProcess();

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  [[nodiscard]] const std::string& socket_path() const noexcept { return socket_path_; }
  [[nodiscard]] const std::string& socket_dir() const noexcept { return socket_dir_; }
  /// From spawn to lsnr.sock appearing.
  [[nodiscard]] std::chrono::microseconds time_to_ready() const noexcept { return time_to_ready_; }

  /// Sends `signal` and waits up to `timeout` for the process to exit; returns its wait
  /// status (as waitpid gives it) or throws InvokeError if it did not exit in time.
  int stop(int signal, std::chrono::milliseconds timeout);

  /// Waits up to `timeout` for the process to exit by itself; returns its wait status, or
  /// nothing while it still runs.
  [[nodiscard]] std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);

  /// A figure of the running process's /proc/<pid>/status, by its key: "VmRSS" and "VmHWM"
  /// in KiB, "Threads" as a count. -1 when the key is not there.
  [[nodiscard]] long status_figure(const std::string& key) const;

 private:
  FunctionProcess() = default;

  pid_t pid_ = -1;
  std::string socket_dir_;
  std::string socket_path_;
  bool owns_dir_ = false;
  std::chrono::microseconds time_to_ready_{0};
};

/// "SIGSEGV" for SIGSEGV; "signal 40" for one without a well-known name.
[[nodiscard]] std::string signal_name(int signal);

/// Describes a waitpid status: "exited with status 2", "was killed by SIGSEGV (Segmentation fault)".
[[nodiscard]] std::string describe_exit(int wait_status);

}  // namespace fdk::invoker
