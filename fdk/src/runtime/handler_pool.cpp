#include "runtime/handler_pool.hpp"

#include <pthread.h>

#include <cerrno>
#include <csignal>
#include <system_error>

namespace fdk::runtime {

namespace {

class FunctionJob final : public HandlerPool::Job {
 public:
  explicit FunctionJob(std::function<void()> function) : function_(std::move(function)) {}
  void run(std::shared_ptr<Job>&) noexcept override { function_(); }

 private:
  std::function<void()> function_;
};

// The pool whose job this thread runs (null on other threads), and whether that job has said it
// is finishing: the thread takes its count back once the job has returned.
thread_local HandlerPool* running_pool = nullptr;
thread_local bool job_finishing = false;

}  // namespace

void HandlerPool::current_job_finishing() noexcept {
  if (running_pool == nullptr || job_finishing) return;
  job_finishing = true;
  ++running_pool->finishing_;
}

HandlerPool::HandlerPool() {
  if (sem_init(&wake_, 0, 0) != 0) throw std::system_error(errno, std::generic_category(), "sem_init");
}

HandlerPool::~HandlerPool() {
  // A thread left running (its job never returned) may still come back to the semaphore.
  if (shutdown()) sem_destroy(&wake_);
}

// Called with the lock held by an idle thread; returns with it held again.
void HandlerPool::wait_for_wake_up(std::unique_lock<std::mutex>& lock) {
  ++sleeping_;
  ++idle_;
  lock.unlock();
  while (sem_wait(&wake_) != 0 && errno == EINTR) {
  }
  lock.lock();
  --idle_;
}

void HandlerPool::submit(std::function<void()> function) {
  submit(std::make_shared<FunctionJob>(std::move(function)));
}

void HandlerPool::submit(std::shared_ptr<Job> job) {
  std::unique_lock lock(mutex_);
  queue_.push_back(std::move(job));
  if (idle_ + starting_ + finishing_ >= queue_.size()) {
    // Wake a sleeper only when the threads that will look at the queue anyway are too few for
    // it: those starting, those finishing a job, and sleepers already woken (idle_ - sleeping_).
    bool wake = sleeping_ > 0 && starting_ + finishing_ + (idle_ - sleeping_) < queue_.size();
    if (wake) --sleeping_;
    lock.unlock();
    if (wake) sem_post(&wake_);
    return;
  }
  try {
    threads_.emplace_back([this] { work(); });
  } catch (...) {
    // No thread (pids limit, memory): the job is refused for good, never run later by a
    // thread that frees up (its connection may be gone by then).
    queue_.pop_back();
    throw;
  }
  ++starting_;
}

std::size_t HandlerPool::busy() const {
  std::lock_guard lock(mutex_);
  return running_ + queue_.size();
}

void HandlerPool::work() {
  // Shutdown signals are for the thread that called fdk::run: were one delivered here while
  // the server swaps its handlers for SIG_IGN, the default action would kill the process.
  sigset_t shutdown_signals;
  sigemptyset(&shutdown_signals);
  sigaddset(&shutdown_signals, SIGINT);
  sigaddset(&shutdown_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &shutdown_signals, nullptr);
  running_pool = this;
  std::unique_lock lock(mutex_);
  --starting_;
  for (;;) {
    while (!stopping_ && queue_.empty()) wait_for_wake_up(lock);
    if (queue_.empty()) return;  // stopping
    auto job = std::move(queue_.front());
    queue_.pop_front();
    ++running_;
    lock.unlock();
    Job& task = *job;
    task.run(job);
    job.reset();
    lock.lock();
    --running_;
    if (job_finishing) {
      job_finishing = false;
      --finishing_;
    }
  }
}

bool HandlerPool::shutdown() {
  bool all_idle;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    all_idle = running_ == 0 && queue_.empty();
    for (; sleeping_ > 0; --sleeping_) sem_post(&wake_);
  }
  for (auto& thread : threads_) {
    if (!thread.joinable()) continue;
    if (all_idle) {
      thread.join();
    } else {
      thread.detach();
    }
  }
  threads_.clear();
  return all_idle;
}

}  // namespace fdk::runtime
