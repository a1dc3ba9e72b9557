// The handler pool starts a thread only when no thread is free or about to be.
#include <doctest/doctest.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <future>
#include <mutex>
#include <string>
#include <thread>

#include "runtime/handler_pool.hpp"

using fdk::runtime::HandlerPool;

namespace {

constexpr auto kWait = std::chrono::seconds(10);

// The "Threads:" line of /proc/self/status.
int threads_in_process() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  }
  return -1;
}

// Counts down as jobs end; wait() returns once all have (or after kWait).
class JobsLeft {
 public:
  explicit JobsLeft(int count) : count_(count) {}
  void done() {
    std::lock_guard lock(mutex_);
    if (--count_ == 0) all_done_.notify_all();
  }
  bool wait() {
    std::unique_lock lock(mutex_);
    return all_done_.wait_for(lock, kWait, [this] { return count_ == 0; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable all_done_;
  int count_;
};

// True once every thread is back from its job, so that the pool's destructor joins them all
// (it leaves a thread that is still in a job running, detached).
bool all_back(const HandlerPool& pool) {
  auto give_up = std::chrono::steady_clock::now() + kWait;
  while (pool.busy() > 0 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return pool.busy() == 0;
}

}  // namespace

TEST_CASE("bursts of calls start no more threads than calls at a time, however slowly threads start") {
  // Each burst may start before the threads of the last one are back from their jobs, and before
  // most of them have even run (one thread can drain the queue): those count as free.
  constexpr int kBursts = 20;
  constexpr int kJobsPerBurst = 10;
  int threads_before = threads_in_process();
  HandlerPool pool;
  for (int burst = 0; burst < kBursts; ++burst) {
    JobsLeft left(kJobsPerBurst);
    for (int job = 0; job < kJobsPerBurst; ++job) {
      pool.submit([&left] {
        HandlerPool::current_job_finishing();  // as a call does before its answer goes out
        left.done();
      });
    }
    REQUIRE(left.wait());
  }
  CHECK(threads_in_process() - threads_before <= kJobsPerBurst);
  REQUIRE(all_back(pool));
}

TEST_CASE("a call submitted while the only thread runs another gets a thread of its own") {
  HandlerPool pool;
  std::promise<void> release_first;
  std::shared_future<void> released = release_first.get_future().share();
  std::promise<std::thread::id> first_thread;
  pool.submit([&, released] {
    first_thread.set_value(std::this_thread::get_id());
    released.wait_for(kWait);  // a handler still running, maybe stuck
  });
  auto first = first_thread.get_future().get();
  std::promise<std::thread::id> second_thread;
  pool.submit([&] { second_thread.set_value(std::this_thread::get_id()); });
  auto second = second_thread.get_future();
  REQUIRE(second.wait_for(kWait) == std::future_status::ready);
  CHECK(second.get() != first);
  release_first.set_value();
  REQUIRE(all_back(pool));
}

// Idle threads sleep on a semaphore and a submit wakes one only when no other thread will look
// at the queue: every job must still run, whether its thread was asleep, woken, or finishing.
TEST_CASE("every job runs when threads sleep, wake and finish in any order") {
  HandlerPool pool;
  constexpr int kRounds = 300;
  for (int round = 0; round < kRounds; ++round) {
    int jobs = 1 + round % 4;
    JobsLeft left(jobs);
    for (int job = 0; job < jobs; ++job) {
      pool.submit([&left, round, job] {
        if ((round + job) % 3 == 0) HandlerPool::current_job_finishing();
        left.done();
      });
    }
    REQUIRE(left.wait());
    // Every few rounds, let the threads go back to sleep before the next jobs arrive.
    if (round % 5 == 0) REQUIRE(all_back(pool));
  }
  REQUIRE(all_back(pool));
}

TEST_CASE("shutdown wakes the sleeping threads and joins them") {
  int threads_before = threads_in_process();
  {
    HandlerPool pool;
    JobsLeft left(3);
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    for (int job = 0; job < 3; ++job) {
      pool.submit([&left, released] {
        released.wait_for(kWait);
        left.done();
      });
    }
    release.set_value();
    REQUIRE(left.wait());
    REQUIRE(all_back(pool));
    CHECK(threads_in_process() - threads_before == 3);
    CHECK(pool.shutdown());
    CHECK(threads_in_process() == threads_before);
  }
}
