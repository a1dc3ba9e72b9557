// Tells the event loop that a handler's thread has finished a call.
#pragma once

#include <uv.h>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runtime/call_protocol.hpp"
#include "runtime/log.hpp"

namespace fdk::runtime {

struct Connection;

/// What a handler's thread reports after it has written (or tried to write) the response.
struct Completion {
  /// The call's connection. It stays open until the loop has taken this report: the handler's
  /// thread reports only a call it answered, and the loop keeps such a call's connection.
  Connection* connection = nullptr;
  /// The answer, when the socket would not take all of it without blocking: the loop sends
  /// the rest, from byte `written` on.
  std::optional<EncodedAnswer> unsent;
  std::size_t written = 0;
  /// The socket refused the response (the agent hung up): the loop closes the connection.
  bool write_failed = false;
};

/// Thread-safe mailbox plus a uv_async_t wake-up. Shared (shared_ptr) with jobs, so a handler
/// that finishes after the loop has shut down drops its report instead of touching freed memory.
class CompletionQueue {
 public:
  explicit CompletionQueue(uv_async_t* wakeup) : wakeup_(wakeup) {}

  void push(Completion completion) {
    // Under the lock: close() must not be able to slip between the check and the send.
    std::lock_guard lock(mutex_);
    if (!wakeup_) return;
    pending_.push_back(std::move(completion));
    int rc = uv_async_send(wakeup_);
    if (rc != 0) {  // the loop will not hear of this call before its deadline timer fires
      write_stderr_line(std::string("fdk-cpp: cannot wake the event loop after a call: ") + uv_strerror(rc));
    }
  }

  /// Moves the pending completions into `taken` (emptied first). The loop passes the same
  /// vector each time, so the two vectors keep their capacity and a call costs no allocation.
  void take_all(std::vector<Completion>& taken) {
    taken.clear();
    std::lock_guard lock(mutex_);
    taken.swap(pending_);
  }

  /// Called on the loop thread before the async handle is closed.
  void close() {
    std::lock_guard lock(mutex_);
    wakeup_ = nullptr;
    pending_.clear();
  }

 private:
  std::mutex mutex_;
  uv_async_t* wakeup_;
  std::vector<Completion> pending_;
};

}  // namespace fdk::runtime
