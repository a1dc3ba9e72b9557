// What an HTTP host (Knative, Cloud Run, OpenFaaS of-watchdog in http mode) tells the process
// through its environment, read once at start. No I/O.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <variant>

#include "fdk/config.hpp"
#include "fdk/context.hpp"

namespace fdk::httphost {

/// A timeout variable (`FDK_TIMEOUT`, `exec_timeout`): nothing when unset, empty or zero (OpenFaaS
/// reads 0 as "no timeout"); one sentence naming the variable when it is not a duration.
[[nodiscard]] std::variant<std::optional<std::chrono::milliseconds>, std::string> timeout_variable(
    const Config& config, const char* name);

struct HostEnvironment {
  std::string service;        ///< K_SERVICE (Knative, Cloud Run): the function's name
  std::string revision;       ///< K_REVISION
  std::string configuration;  ///< K_CONFIGURATION
  std::string watchdog_mode;  ///< OpenFaaS `mode` (of-watchdog), or empty
  /// The of-watchdog's exec_timeout, inherited by its http-mode child: past it the watchdog
  /// answers 504 itself, so the FDK answers first. Also caps a per-request X-Timeout.
  std::optional<std::chrono::milliseconds> watchdog_timeout;
  /// FDK_TIMEOUT: a call deadline for hosts that send none (Knative, Cloud Run).
  std::optional<std::chrono::milliseconds> default_timeout;

  /// `revision` and `configuration` (Knative, Cloud Run) and `watchdog_mode` (OpenFaaS), those
  /// that are set, for Context::platform_attributes().
  [[nodiscard]] PlatformAttributes platform_attributes() const;

  /// Reads the variables above; returns one sentence when a timeout is not a duration.
  static std::variant<HostEnvironment, std::string> from_config(const Config& config);
};

}  // namespace fdk::httphost
