// When session credentials must be re-read or re-fetched.
#pragma once

#include <chrono>

#include "fdk/oci/clock.hpp"

namespace fdk::oci::detail {

/// The Go SDK's margin: a token expiring within this window is renewed before signing.
inline constexpr std::chrono::minutes kRefreshMargin{5};

/// True when a token expiring at `expires_at` should be renewed at `now`.
[[nodiscard]] inline bool needs_refresh(std::chrono::system_clock::time_point expires_at,
                                        std::chrono::system_clock::time_point now) {
  return expires_at <= now + kRefreshMargin;
}

/// `clock()`, or the system clock when none was injected.
[[nodiscard]] inline std::chrono::system_clock::time_point now_from(const Clock& clock) {
  return clock ? clock() : std::chrono::system_clock::now();
}

}  // namespace fdk::oci::detail
