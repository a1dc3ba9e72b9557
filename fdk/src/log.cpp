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

void Logger::write_record(LogLevel level, std::string_view message, std::string_view fields_json) const {
  std::string line =
      detail::format_log_record(std::chrono::system_clock::now(), level, call_id_, message, nlohmann::json());
  if (!fields_json.empty()) {
    // The record is a JSON object ending in '}': "fields" goes last, as format_log_record puts it.
    line.pop_back();
    line.append(",\"fields\":").append(fields_json).push_back('}');
  }
  runtime::write_stderr_line(line);
}

}  // namespace fdk
