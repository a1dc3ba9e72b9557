#include "log_record.hpp"

#include <cctype>

#include <nlohmann/json.hpp>

#include "protocol/deadline.hpp"

namespace fdk::detail {

std::string_view log_level_name(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warning:
      return "warning";
    case LogLevel::error:
      return "error";
  }
  return "error";
}

std::optional<LogLevel> parse_log_level(std::string_view text) {
  std::string lower;
  for (char c : text) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  for (LogLevel level : {LogLevel::debug, LogLevel::info, LogLevel::warning, LogLevel::error}) {
    if (lower == log_level_name(level)) return level;
  }
  if (lower == "warn") return LogLevel::warning;
  return std::nullopt;
}

std::string format_log_record(std::chrono::system_clock::time_point time, LogLevel level, std::string_view call_id,
                              std::string_view message, const nlohmann::json& fields) {
  // Ordered, so a person reading the raw log sees when, how bad and which call first.
  nlohmann::ordered_json record;
  record["time"] = protocol::format_rfc3339(time);
  record["level"] = log_level_name(level);
  if (!call_id.empty()) record["call_id"] = call_id;
  record["message"] = message;
  if (!fields.is_null()) record["fields"] = fields;
  // Messages and fields may quote request bytes, which need not be UTF-8.
  return record.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace fdk::detail
