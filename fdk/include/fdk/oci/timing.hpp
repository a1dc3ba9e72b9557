// fdk::oci::Timing — the clock and sleep that retries and waiters use; injectable so tests
// of backoff and polling run instantly.
#pragma once

#include <chrono>
#include <functional>

#include "fdk/export.hpp"
#include "fdk/oci/clock.hpp"

namespace fdk::oci {

/// Pauses the calling thread. An empty Sleep means std::this_thread::sleep_for.
using Sleep = std::function<void(std::chrono::milliseconds)>;

/// The wall clock and the sleep function of retries and waiters.
///
/// @code
///   auto fake_now = std::chrono::system_clock::now();
///   fdk::oci::Timing timing{[&] { return fake_now; },
///                           [&](std::chrono::milliseconds d) { fake_now += d; }};
/// @endcode
struct FDK_API Timing {
  Clock now;    ///< empty: std::chrono::system_clock::now
  Sleep sleep;  ///< empty: std::this_thread::sleep_for

  [[nodiscard]] std::chrono::system_clock::time_point current() const;
  void pause(std::chrono::milliseconds duration) const;
};

}  // namespace fdk::oci
