#include "fdk/oci/waiter.hpp"

#include "fdk/oci/call_errors.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace fdk::oci {
namespace {

using std::chrono::milliseconds;

bool contains(const std::vector<std::string>& states, const std::string& state) {
  return std::find(states.begin(), states.end(), state) != states.end();
}

milliseconds between(std::chrono::system_clock::time_point from, std::chrono::system_clock::time_point to) {
  return std::chrono::duration_cast<milliseconds>(to - from);
}

CallOptions call_options_of(const WaitOptions& options) {
  CallOptions call;
  call.deadline = options.deadline;
  return call;
}

}  // namespace

WaitOptions::WaitOptions(const fdk::Context& context) : deadline(context.deadline()) {}

std::chrono::system_clock::time_point stop_polling_at(const fdk::Context& context, milliseconds margin) {
  return context.deadline() - margin;
}

milliseconds seconds_setting(const fdk::Config& config, const std::string& name, double fallback_seconds,
                             double max_seconds) {
  const auto text = config.get(name);
  if (!text || text->empty()) return milliseconds(std::llround(fallback_seconds * 1000));
  try {
    std::size_t used = 0;
    const double seconds = std::stod(*text, &used);
    if (used == text->size() && seconds > 0 && seconds <= max_seconds) {
      return std::max(milliseconds(1), milliseconds(std::llround(seconds * 1000)));
    }
  } catch (const std::exception&) {
    // Reported below, with the value.
  }
  char limit[32];
  std::snprintf(limit, sizeof limit, "%g", max_seconds);
  throw std::invalid_argument("Function config " + name + " must be a number of seconds between 0 and " + limit +
                              ", not '" + *text + "'.");
}

namespace detail {

WaitOutcome poll_until(const std::function<std::string()>& poll, const std::vector<std::string>& targets,
                       const std::vector<std::string>& failures, const WaitOptions& options, int& polls,
                       milliseconds& waited) {
  const auto start = options.timing.current();
  const auto give_up_at = start + options.max_wait;
  const bool deadline_binds = options.deadline && *options.deadline < give_up_at;
  const auto limit = deadline_binds ? *options.deadline : give_up_at;
  std::string previous;
  for (;;) {
    ++polls;
    std::string state;
    try {
      state = poll();
    } catch (const DeadlineExceeded&) {
      // A pause that ran long (a loaded machine) can leave a poll no time before the deadline.
      // Once a state is known, the deadline ending the wait is a time-out, not a failure.
      if (polls == 1) throw;
      waited = between(start, options.timing.current());
      return WaitOutcome::timed_out;
    }
    if (options.on_state_change && (polls == 1 || state != previous)) options.on_state_change(state);
    previous = state;
    const auto now = options.timing.current();
    waited = between(start, now);
    if (contains(targets, state)) return WaitOutcome::reached;
    if (contains(failures, state)) return WaitOutcome::failed;
    const milliseconds remaining = between(now, limit);
    if (remaining.count() <= 0) return WaitOutcome::timed_out;
    // A poll at the very deadline could not finish in time; stop now instead of sleeping into it.
    if (deadline_binds && options.interval >= remaining) return WaitOutcome::timed_out;
    options.timing.pause(std::min(options.interval, remaining));
  }
}

}  // namespace detail

WaitResult<Instance> wait_for_instance(ComputeClient& compute, std::string_view instance_id,
                                       const std::string& target_state, const WaitOptions& options) {
  const CallOptions call = call_options_of(options);
  return wait_for_state([&] { return compute.get_instance(instance_id, call); }, {target_state},
                        {"TERMINATING", "TERMINATED"}, options);
}

WaitResult<ContainerInstance> wait_for_container_instance(ContainerInstancesClient& containers,
                                                          std::string_view container_instance_id,
                                                          const std::string& target_state, const WaitOptions& options) {
  const CallOptions call = call_options_of(options);
  return wait_for_state([&] { return containers.get(container_instance_id, call); }, {target_state},
                        {"FAILED", "DELETING", "DELETED"}, options);
}

}  // namespace fdk::oci
