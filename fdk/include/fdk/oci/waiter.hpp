// fdk::oci::wait_for_state — poll a resource until it reaches a lifecycle state.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fdk/config.hpp"
#include "fdk/context.hpp"
#include "fdk/export.hpp"
#include "fdk/oci/compute.hpp"
#include "fdk/oci/container_instances.hpp"
#include "fdk/oci/timing.hpp"

namespace fdk::oci {

/// How a wait ended.
enum class WaitOutcome {
  reached,    ///< the resource is in one of the target states
  failed,     ///< the resource is in one of the failure states
  timed_out,  ///< max_wait passed, or the deadline left no time for another poll
};

/// Called with the state a poll read when it differs from the previous poll's (and after the
/// first poll): progress for the log.
using StateChange = std::function<void(const std::string& state)>;

/// Polling settings.
struct FDK_API WaitOptions {
  WaitOptions() = default;
  /// Bounded by the deadline of the function call `context` serves (implicit).
  WaitOptions(const fdk::Context& context);  // NOLINT(google-explicit-constructor)

  std::chrono::milliseconds interval{10000};
  std::chrono::milliseconds max_wait{std::chrono::minutes(20)};
  /// No poll starts and no sleep ends after this point; each poll's call gets it too.
  std::optional<std::chrono::system_clock::time_point> deadline;
  Timing timing;
  /// Progress callback; none by default.
  StateChange on_state_change;
};

/// The time a function keeps, by default, to answer after it stops polling.
inline constexpr std::chrono::milliseconds kAnswerMargin{1000};

/// `context`'s deadline minus `margin`: when OCI calls and polling must stop so the function can
/// still answer before its deadline.
///
/// @code
///   fdk::oci::WaitOptions polling;
///   polling.deadline = fdk::oci::stop_polling_at(ctx);
///   polling.on_state_change = [&](const std::string& state) { std::cerr << id << " is " << state << "\n"; };
///   auto result = fdk::oci::wait_for_instance(compute, id, "RUNNING", polling);
/// @endcode
[[nodiscard]] FDK_API std::chrono::system_clock::time_point stop_polling_at(
    const fdk::Context& context, std::chrono::milliseconds margin = kAnswerMargin);

/// A positive number of seconds (`"10"`, `"0.05"`) from the function config `name`, as
/// milliseconds (at least 1); `fallback_seconds` when unset or empty. Throws
/// std::invalid_argument, whose message is meant for the caller: "Function config NAME must be
/// a number of seconds between 0 and MAX, not 'VALUE'."
[[nodiscard]] FDK_API std::chrono::milliseconds seconds_setting(const fdk::Config& config, const std::string& name,
                                                                double fallback_seconds, double max_seconds = 3600);

/// The end of a wait: the outcome, the last resource read, and what it took.
template <class Resource>
struct WaitResult {
  WaitOutcome outcome = WaitOutcome::timed_out;
  Resource last{};
  int polls = 0;
  std::chrono::milliseconds waited{0};
};

namespace detail {
/// The polling loop behind wait_for_state: `poll` reads the current state.
FDK_API WaitOutcome poll_until(const std::function<std::string()>& poll, const std::vector<std::string>& targets,
                               const std::vector<std::string>& failures, const WaitOptions& options, int& polls,
                               std::chrono::milliseconds& waited);
}  // namespace detail

/// Calls `fetch` (returning a resource with a `lifecycle_state`) until the state is one of
/// `targets` or `failures`, sleeping `interval` between polls. Errors from `fetch` propagate,
/// except a DeadlineExceeded after the first poll: the deadline ended the wait, so the outcome
/// is timed_out and `last` holds the last state read.
///
/// @code
///   auto result = fdk::oci::wait_for_state([&] { return compute.get_instance(id, ctx); },
///                                          {"RUNNING"}, {"TERMINATING", "TERMINATED"}, ctx);
///   if (result.outcome != fdk::oci::WaitOutcome::reached) ... result.last.lifecycle_state ...
/// @endcode
template <class Fetch>
auto wait_for_state(Fetch fetch, const std::vector<std::string>& targets, const std::vector<std::string>& failures,
                    const WaitOptions& options) -> WaitResult<decltype(fetch())> {
  WaitResult<decltype(fetch())> result;
  result.outcome = detail::poll_until(
      [&] {
        result.last = fetch();
        return result.last.lifecycle_state;
      },
      targets, failures, options, result.polls, result.waited);
  return result;
}

/// Waits for a Compute instance; TERMINATING and TERMINATED count as failures.
[[nodiscard]] FDK_API WaitResult<Instance> wait_for_instance(ComputeClient& compute, std::string_view instance_id,
                                                             const std::string& target_state, const WaitOptions& options);

/// Waits for a Container Instance; FAILED, DELETING and DELETED count as failures.
[[nodiscard]] FDK_API WaitResult<ContainerInstance> wait_for_container_instance(ContainerInstancesClient& containers,
                                                                                std::string_view container_instance_id,
                                                                                const std::string& target_state,
                                                                                const WaitOptions& options);

}  // namespace fdk::oci
