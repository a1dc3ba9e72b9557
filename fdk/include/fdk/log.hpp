// fdk::Logger — structured log records, one JSON line each on stderr, tagged with the call id.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fdk/export.hpp"

namespace fdk {

class Context;

/// Severity of a log record, lowest first.
enum class LogLevel { debug, info, warning, error };

/// Writes log records as JSON lines on stderr, which Fn and OCI Functions collect as the
/// function's log. One record is one line, written with a single write(2), so records from
/// concurrent calls never interleave:
///
///   {"time":"2026-11-30T03:31:52.123Z","level":"info","call_id":"01J...","message":"order accepted","fields":{"order":"A1","quantity":2}}
///
/// `time` (UTC, milliseconds), `level` and `message` are always present, `call_id` when the
/// logger belongs to a call, `fields` when given. Nothing else is added: no headers, no
/// configuration, no body. Text that is not valid UTF-8 is written with U+FFFD in place of
/// the bad bytes. Records below the threshold are dropped; the threshold is `FDK_LOG_LEVEL`
/// (`debug`, `info`, `warning` or `error`; default `info`) from the function's configuration.
///
/// @code
///   fdk::Response handler(fdk::Context& ctx, std::string_view body) {
///     fdk::Logger log(ctx);
///     log.info("order accepted", {{"order", id}, {"quantity", quantity}});
///     log.debug("raw body", {{"bytes", body.size()}});
///     ...
///   }
/// @endcode
class FDK_API Logger {
 public:
  /// A logger outside any call (in `main`, say): no `call_id`; threshold from the environment.
  Logger();
  /// A logger for the call `ctx` describes: every record carries its call id.
  explicit Logger(const Context& ctx);

  FDK_HIDDEN_INLINE void debug(std::string_view message, const nlohmann::json& fields = nlohmann::json()) const {
    log(LogLevel::debug, message, fields);
  }
  FDK_HIDDEN_INLINE void info(std::string_view message, const nlohmann::json& fields = nlohmann::json()) const {
    log(LogLevel::info, message, fields);
  }
  FDK_HIDDEN_INLINE void warning(std::string_view message, const nlohmann::json& fields = nlohmann::json()) const {
    log(LogLevel::warning, message, fields);
  }
  FDK_HIDDEN_INLINE void error(std::string_view message, const nlohmann::json& fields = nlohmann::json()) const {
    log(LogLevel::error, message, fields);
  }
  /// Writes one record at `level`; `fields` is usually an object (`{{"key", value}, ...}`).
  FDK_HIDDEN_INLINE void log(LogLevel level, std::string_view message,
                             const nlohmann::json& fields = nlohmann::json()) const {
    if (!enabled(level)) return;
    // Serialised here so the library's exported functions take no nlohmann type.
    write_record(level, message,
                 fields.is_null() ? std::string() : fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }

  /// True when records at `level` are written (to skip building costly fields).
  [[nodiscard]] bool enabled(LogLevel level) const noexcept { return level >= threshold_; }
  /// The call id the records carry; empty outside a call.
  [[nodiscard]] const std::string& call_id() const noexcept { return call_id_; }

 private:
  /// Writes one record; `fields_json` is serialised JSON, or empty for none.
  void write_record(LogLevel level, std::string_view message, std::string_view fields_json) const;

  std::string call_id_;
  LogLevel threshold_ = LogLevel::info;
};

}  // namespace fdk
