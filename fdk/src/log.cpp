#include "fdk/log.hpp"

#include <cstdlib>

#include "fdk/context.hpp"
#include "log_record.hpp"
#include "runtime/log.hpp"

namespace fdk {

namespace {
// An unset or unrecognised FDK_LOG_LEVEL leaves the default: a typo must not silence the log.
LogLevel threshold_from(const char* text) {
  if (text == nullptr) return LogLevel::info;
  return detail::parse_log_level(text).value_or(LogLevel::info);
}
}  // namespace

Logger::Logger() : threshold_(threshold_from(std::getenv("FDK_LOG_LEVEL"))) {}

Logger::Logger(const Context& ctx) : call_id_(ctx.call_id()) {
  auto configured = ctx.config().get("FDK_LOG_LEVEL");
  threshold_ = threshold_from(configured ? configured->c_str() : nullptr);
}

void Logger::debug(std::string_view message, const nlohmann::json& fields) const {
  log(LogLevel::debug, message, fields);
}
void Logger::info(std::string_view message, const nlohmann::json& fields) const {
  log(LogLevel::info, message, fields);
}
void Logger::warning(std::string_view message, const nlohmann::json& fields) const {
  log(LogLevel::warning, message, fields);
}
void Logger::error(std::string_view message, const nlohmann::json& fields) const {
  log(LogLevel::error, message, fields);
}

void Logger::log(LogLevel level, std::string_view message, const nlohmann::json& fields) const {
  if (!enabled(level)) return;
  runtime::write_stderr_line(
      detail::format_log_record(std::chrono::system_clock::now(), level, call_id_, message, fields));
}

}  // namespace fdk
