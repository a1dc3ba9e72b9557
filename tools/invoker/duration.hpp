// Durations on fdk-invoke's command line: "30", "1.5", "250ms", "2s", "1m". No I/O.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace fdk::invoker {

/// Parses a positive decimal number with an optional unit (`ms`, `s` or `m`); a bare number is
/// in `bare_unit`. Rounds to the nearest millisecond. Nothing for anything else, for zero, and
/// for more than a day.
[[nodiscard]] std::optional<std::chrono::milliseconds> parse_duration(std::string_view text,
                                                                      std::chrono::milliseconds bare_unit);

}  // namespace fdk::invoker
