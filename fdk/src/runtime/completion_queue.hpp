// Hands handler results from worker threads back to the event loop.
#pragma once

#include <uv.h>

#include <cstdint>
#include <mutex>
#include <vector>

#include "protocol/call_flow.hpp"

namespace fdk::runtime {

struct Completion {
  std::uint64_t call_id;
  protocol::Outcome outcome;
};

/// Thread-safe mailbox plus a uv_async_t wake-up. Shared (shared_ptr) with jobs, so a handler
/// that finishes after the loop has shut down drops its result instead of touching freed memory.
class CompletionQueue {
 public:
  explicit CompletionQueue(uv_async_t* wakeup) : wakeup_(wakeup) {}

  void push(Completion completion) {
    std::lock_guard lock(mutex_);
    if (!wakeup_) return;
    pending_.push_back(std::move(completion));
    uv_async_send(wakeup_);
  }

  std::vector<Completion> take_all() {
    std::lock_guard lock(mutex_);
    std::vector<Completion> taken;
    taken.swap(pending_);
    return taken;
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
