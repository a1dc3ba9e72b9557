// Threads that run handlers, so the event loop stays free to answer 504 at a deadline.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace fdk::runtime {

/// Runs jobs on worker threads. Starts a thread only when no idle one exists: a handler
/// stuck past its deadline keeps its thread, and the next call gets another.
class HandlerPool {
 public:
  HandlerPool() = default;
  ~HandlerPool();
  HandlerPool(const HandlerPool&) = delete;
  HandlerPool& operator=(const HandlerPool&) = delete;

  /// Throws (and keeps nothing) when no thread is idle and none can be started.
  void submit(std::function<void()> job);
  /// Number of jobs running or queued.
  [[nodiscard]] std::size_t busy() const;
  /// Stops idle workers and joins them. Returns false (leaving busy threads detached)
  /// when some job is still running.
  bool shutdown();

 private:
  void work();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  std::size_t running_ = 0;
  bool stopping_ = false;
};

}  // namespace fdk::runtime
