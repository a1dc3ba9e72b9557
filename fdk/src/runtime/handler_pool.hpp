// Threads that run handlers, so the event loop stays free to answer 504 at a deadline.
#pragma once

#include <semaphore.h>

#include <atomic>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace fdk::runtime {

/// Runs jobs on worker threads. Starts a thread only when no idle one exists: a handler
/// stuck past its deadline keeps its thread, and the next call gets another.
class HandlerPool {
 public:
  /// Work for a handler thread, shared with whoever submitted it (no allocation per job
  /// beyond the job itself).
  class Job {
   public:
    virtual ~Job() = default;
    /// `self` is the pool's reference to this job. The job may drop it before it ends, so
    /// that its other owner frees it on that owner's thread; after that it must not touch
    /// its own members.
    virtual void run(std::shared_ptr<Job>& self) noexcept = 0;
  };

  HandlerPool();
  ~HandlerPool();
  HandlerPool(const HandlerPool&) = delete;
  HandlerPool& operator=(const HandlerPool&) = delete;

  /// Throws (and keeps nothing) when no thread is idle and none can be started.
  void submit(std::shared_ptr<Job> job);
  /// The same for a plain function (wrapped in a Job).
  void submit(std::function<void()> function);
  /// Number of jobs running or queued.
  [[nodiscard]] std::size_t busy() const;
  /// For a running job: what is left of it is short and cannot block (say, all that is left is to
  /// send its answer without waiting and report to the loop). Until the job returns, its thread
  /// counts as idle: a job submitted meanwhile waits the few microseconds for it rather than
  /// starting another thread. Otherwise the client's next call, sent as soon as the answer
  /// arrives, often found no thread free. Does nothing on a thread that runs no job of a pool.
  static void current_job_finishing() noexcept;
  /// Stops idle workers and joins them. Returns false (leaving busy threads detached)
  /// when some job is still running.
  bool shutdown();

 private:
  void work();
  void wait_for_wake_up(std::unique_lock<std::mutex>& lock);

  mutable std::mutex mutex_;
  /// Idle threads sleep on this semaphore, not on a condition variable: a thread woken from a
  /// condition variable takes the mutex back marked as contended, so unlocking it costs a
  /// futex call every time (glibc), one system call per handler call for nothing.
  sem_t wake_{};
  /// Sleeping threads no wake-up has been posted for yet. A post is made for one of them, so a
  /// job that a running thread will pick up anyway wakes nobody.
  std::size_t sleeping_ = 0;
  std::deque<std::shared_ptr<Job>> queue_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;
  /// Threads started by submit() that have not yet come to take a job. They count as idle: one
  /// takes the queue's next job as soon as it runs. Counting only the waiting threads made a
  /// burst of calls start a thread per call even when the threads from the last burst were not
  /// running yet (on one busy CPU, 10 concurrent calls left 11 to 24 threads).
  std::size_t starting_ = 0;
  /// Running jobs that called current_job_finishing(); they count as idle too.
  std::atomic<std::size_t> finishing_{0};
  std::size_t running_ = 0;
  bool stopping_ = false;
};

}  // namespace fdk::runtime
