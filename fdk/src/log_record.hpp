// The FDK's log record format, shared by fdk::Logger and the runtime's own messages. No I/O.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "fdk/log.hpp"

namespace fdk::detail {

/// One JSON line without the newline: time, level, call_id (when not empty), message, and
/// fields (when not null). Invalid UTF-8 becomes U+FFFD; never throws on bad text.
[[nodiscard]] std::string format_log_record(std::chrono::system_clock::time_point time, LogLevel level,
                                            std::string_view call_id, std::string_view message,
                                            const nlohmann::json& fields);

/// The level's name in records and in FDK_LOG_LEVEL: "debug", "info", "warning", "error".
[[nodiscard]] std::string_view log_level_name(LogLevel level) noexcept;

/// Parses a FDK_LOG_LEVEL value (case-insensitive; "warn" is accepted for "warning").
[[nodiscard]] std::optional<LogLevel> parse_log_level(std::string_view text);

}  // namespace fdk::detail
