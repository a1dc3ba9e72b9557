// Fn-Deadline: RFC 3339 timestamps as the agent sends them, clamped to a safe range. No I/O.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "http/date.hpp"

namespace fdk::protocol {

using SystemTime = std::chrono::system_clock::time_point;


/// Parses `2026-11-21T20:14:08Z`, with optional fractional seconds and any `±HH:MM` offset,
/// clamped to 1970-2200. Returns nothing for anything else.
[[nodiscard]] std::optional<SystemTime> parse_rfc3339(std::string_view text);

/// Formats as UTC with millisecond precision: `2026-11-21T20:14:08.250Z`.
using http::format_rfc3339;

}  // namespace fdk::protocol
