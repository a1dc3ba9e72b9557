// Calendar dates for HTTP: RFC 3339 timestamps and IMF-fixdate (HTTP-date). No I/O, no time zone
// or locale state, so parsing and formatting are pure and thread-safe.
//
// The system clock counts nanoseconds in 64 bits (about 1677 to 2262): every conversion here
// checks that range instead of overflowing, so a hostile "year 9999" is refused, never UB.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fdk::http {

using SystemTime = std::chrono::system_clock::time_point;

/// The civil (proleptic Gregorian, UTC) date of a day number.
struct CivilDate {
  std::int64_t year = 1970;
  unsigned month = 1;  ///< 1..12
  unsigned day = 1;    ///< 1..31
};

/// Days since 1970-01-01 of a civil date, and back (Howard Hinnant's algorithms).
[[nodiscard]] std::int64_t days_from_civil(CivilDate date) noexcept;
[[nodiscard]] CivilDate civil_from_days(std::int64_t days) noexcept;
/// True when `day` exists in that month of that year.
[[nodiscard]] bool valid_civil_date(CivilDate date) noexcept;

/// Seconds (plus nanoseconds) since the epoch as a clock time; nothing when the clock
/// cannot represent it (before 1678 or after 2261, with a margin for arithmetic).
[[nodiscard]] std::optional<SystemTime> time_from_unix(std::int64_t seconds, std::int64_t nanos = 0) noexcept;

/// A point in time as seconds since the epoch (any year 0000-9999) and nanoseconds.
struct UnixTime {
  std::int64_t seconds = 0;
  std::int64_t nanos = 0;  ///< 0..999'999'999
};

/// Parses `2026-11-21T20:14:08Z`, optional fractional seconds, `Z` or any `±HH:MM` offset.
/// Nothing for anything else. For callers that clamp out-of-range times themselves.
[[nodiscard]] std::optional<UnixTime> parse_rfc3339_unix(std::string_view text);
/// The same as a clock time; nothing also for times the clock cannot hold.
[[nodiscard]] std::optional<SystemTime> parse_rfc3339(std::string_view text);
/// UTC with millisecond precision: `2026-11-21T20:14:08.250Z`.
[[nodiscard]] std::string format_rfc3339(SystemTime time);
/// UTC, whole seconds (truncated): `2026-11-21T20:14:08Z`.
[[nodiscard]] std::string format_rfc3339_seconds(SystemTime time);

/// Parses IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110's preferred HTTP-date);
/// nothing when the text is not exactly that, or the time does not fit the clock.
[[nodiscard]] std::optional<SystemTime> parse_http_date(std::string_view text);
/// Formats `time` (truncated to seconds) as IMF-fixdate.
[[nodiscard]] std::string format_http_date(SystemTime time);

}  // namespace fdk::http
