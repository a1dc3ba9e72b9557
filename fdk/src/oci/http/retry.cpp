#include "fdk/oci/retry.hpp"

#include <cmath>
#include <random>

namespace fdk::oci {

RetryPolicy RetryPolicy::no_retries() {
  RetryPolicy policy;
  policy.max_attempts = 1;
  return policy;
}

std::chrono::milliseconds RetryPolicy::delay_after(int failed_attempt, double jitter01) const {
  // 2^(n-1) s grows past any sane cap by n = 16; clamping the exponent avoids overflow.
  const int exponent = std::min(std::max(failed_attempt - 1, 0), 16);
  const double seconds = std::ldexp(1.0, exponent) + std::min(std::max(jitter01, 0.0), 0.999);
  const auto delay = std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0));
  return std::min(delay, max_delay);
}

double RetryPolicy::draw_jitter() const {
  if (jitter) return jitter();
  thread_local std::mt19937 generator{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(generator);
}

bool is_retryable_status(int status, std::string_view code) {
  switch (status) {
    case 409:
      return code == "IncorrectState" || code == "LockConflict";
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
      return true;
    default:
      return false;
  }
}

}  // namespace fdk::oci
