// Durations written by people: fdk-invoke's command line ("30", "1.5", "250ms", "2s", "1m") and
// the timeouts platforms pass in the environment or headers (Go-style "10s", "1m30s", "1h";
// OpenFaaS's exec_timeout, X-Timeout, FDK_TIMEOUT). No I/O.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace fdk::detail {

/// Parses a positive decimal number with an optional unit (`ms`, `s` or `m`); a bare number is
/// in `bare_unit`. Rounds to the nearest millisecond. Nothing for anything else, for zero, and
/// for more than a day.
[[nodiscard]] std::optional<std::chrono::milliseconds> parse_duration(std::string_view text,
                                                                      std::chrono::milliseconds bare_unit);

/// Parses a timeout as Go's time.ParseDuration writes it, one or more terms of a decimal number
/// and a unit (`h`, `m`, `s`, `ms`): `10s`, `1.5s`, `1m30s`, `2h`. A bare number counts as
/// seconds, as OpenFaaS reads it. `0` (with or without unit) gives zero, which callers read as
/// "no timeout". Nothing for anything else, for a negative value and for more than 30 days.
[[nodiscard]] std::optional<std::chrono::milliseconds> parse_timeout(std::string_view text);

}  // namespace fdk::detail
