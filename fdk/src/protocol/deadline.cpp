#include "protocol/deadline.hpp"

#include <cstdint>

namespace fdk::protocol {

std::optional<SystemTime> parse_rfc3339(std::string_view text) {
  const auto parsed = http::parse_rfc3339_unix(text);
  if (!parsed) return std::nullopt;
  // The clock counts nanoseconds in 64 bits: keep results between 1970 and 2200, so that
  // arithmetic with "now" (time left, comparisons) can never overflow.
  constexpr std::int64_t kLatestSeconds = 7258118400;  // 2200-01-01T00:00:00Z
  if (parsed->seconds < 0) return SystemTime{};
  if (parsed->seconds >= kLatestSeconds) return SystemTime(std::chrono::seconds(kLatestSeconds));
  return http::time_from_unix(parsed->seconds, parsed->nanos);
}

}  // namespace fdk::protocol
