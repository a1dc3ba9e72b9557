// Carrying a function's stdout and stderr to fdk-invoke's stderr, so they never mix with the
// response on stdout, and holding back what it prints while it shuts down.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace fdk::invoker {

/// A pipe whose read end a thread copies to `destination`. Give write_fd() to the function
/// as its stdout and stderr.
class OutputRelay {
 public:
  /// Throws InvokeError when the pipe cannot be made.
  explicit OutputRelay(int destination);
  ~OutputRelay();
  OutputRelay(const OutputRelay&) = delete;
  OutputRelay& operator=(const OutputRelay&) = delete;

  /// The end the function writes to (close-on-exec: dup it into the child).
  [[nodiscard]] int write_fd() const noexcept { return write_fd_; }

  /// Copies everything written so far to the destination.
  void flush();
  /// Copies everything written so far, then keeps later output back until release().
  void hold();
  /// Ends hold(): copies the held lines for which `keep(line)` is true (all when it is empty).
  void release(const std::function<bool(std::string_view line)>& keep = {});

 private:
  void copy_loop();
  // With mutex_ held: reads all that is available now, copying or holding it.
  void drain_locked();

  int destination_;
  int read_fd_ = -1;
  int write_fd_ = -1;
  int wake_read_ = -1;
  int wake_write_ = -1;
  std::mutex mutex_;
  bool holding_ = false;
  std::string held_;
  std::thread thread_;
};

}  // namespace fdk::invoker
