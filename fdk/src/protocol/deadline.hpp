// RFC 3339 timestamps as used by the Fn-Deadline header. No I/O.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace fdk::protocol {

using SystemTime = std::chrono::system_clock::time_point;

/// Parses `2026-11-21T20:14:08Z`, with optional fractional seconds and any `±HH:MM` offset.
/// Returns nothing for anything else.
[[nodiscard]] std::optional<SystemTime> parse_rfc3339(std::string_view text);

/// Formats as UTC with millisecond precision: `2026-11-21T20:14:08.250Z`.
[[nodiscard]] std::string format_rfc3339(SystemTime time);

}  // namespace fdk::protocol
