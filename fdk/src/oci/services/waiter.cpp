#include "fdk/oci/waiter.hpp"

#include <algorithm>

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

namespace detail {

WaitOutcome poll_until(const std::function<std::string()>& poll, const std::vector<std::string>& targets,
                       const std::vector<std::string>& failures, const WaitOptions& options, int& polls,
                       milliseconds& waited) {
  const auto start = options.timing.current();
  const auto give_up_at = start + options.max_wait;
  const bool deadline_binds = options.deadline && *options.deadline < give_up_at;
  const auto limit = deadline_binds ? *options.deadline : give_up_at;
  for (;;) {
    ++polls;
    const std::string state = poll();
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
