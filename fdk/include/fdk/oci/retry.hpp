// fdk::oci::RetryPolicy — when and how long to wait before retrying an OCI call, as the OCI
// SDKs do by default.
#pragma once

#include <chrono>
#include <functional>
#include <string_view>

#include "fdk/export.hpp"

namespace fdk::oci {

/// Up to `max_attempts` attempts; after failed attempt n the client sleeps
/// min(2^(n-1) s + jitter, max_delay) with jitter uniform in [0, 1) s, and never past the
/// call's deadline.
///
/// @code
///   fdk::oci::ClientOptions options;
///   options.retry.max_attempts = 3;                            // fewer retries
///   options.retry = fdk::oci::RetryPolicy::no_retries();       // or none at all
/// @endcode
struct FDK_API RetryPolicy {
  int max_attempts = 8;
  std::chrono::milliseconds max_delay{30000};
  /// Returns a number in [0, 1); empty means a uniform random number.
  std::function<double()> jitter;

  /// One attempt only.
  [[nodiscard]] static RetryPolicy no_retries();

  /// The pause after failed attempt `failed_attempt` (1-based) with jitter `jitter01`.
  [[nodiscard]] std::chrono::milliseconds delay_after(int failed_attempt, double jitter01) const;
  /// A jitter value from `jitter`, or a random one.
  [[nodiscard]] double draw_jitter() const;
};

/// True for the answers the OCI SDKs retry: 409 with code IncorrectState or LockConflict,
/// 429, and 500, 502, 503, 504 (not 501).
[[nodiscard]] FDK_API bool is_retryable_status(int status, std::string_view code);

}  // namespace fdk::oci
