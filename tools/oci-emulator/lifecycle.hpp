// A lifecycle state that moves on by itself over time (STOPPED → STARTING → RUNNING ...).
#pragma once

#include <chrono>
#include <deque>
#include <string>
#include <utility>

namespace oci_emulator {

using SteadyTime = std::chrono::steady_clock::time_point;

class Lifecycle {
 public:
  explicit Lifecycle(std::string initial = {}) : state_(std::move(initial)) {}

  /// The state at `now`, after applying every transition that has come due.
  const std::string& state(SteadyTime now) {
    while (!pending_.empty() && pending_.front().first <= now) {
      state_ = std::move(pending_.front().second);
      pending_.pop_front();
    }
    return state_;
  }

  /// Moves to `intermediate` now and to `final_state` after `delay`, dropping earlier plans.
  void transition(SteadyTime now, std::string intermediate, std::string final_state, std::chrono::milliseconds delay) {
    pending_.clear();
    state_ = std::move(intermediate);
    pending_.emplace_back(now + delay, std::move(final_state));
  }

  /// Sets the state at once (control API), dropping planned transitions.
  void set(std::string state) {
    pending_.clear();
    state_ = std::move(state);
  }

 private:
  std::string state_;
  std::deque<std::pair<SteadyTime, std::string>> pending_;
};

}  // namespace oci_emulator
