// fdk::Config — the function's configuration (its environment).
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "fdk/export.hpp"

namespace fdk {

/// The function's configuration. Fn passes application and function config as
/// environment variables (function values override application ones), so this is a
/// snapshot of the whole environment taken when the function starts.
///
/// @code
///   auto interval = ctx.config().get_or("POLL_INTERVAL_SECONDS", "10");
///   auto bucket = ctx.config().require("BUCKET");  // ConfigError when missing
/// @endcode
class FDK_API Config {
 public:
  Config() = default;
  explicit Config(std::map<std::string, std::string, std::less<>> values);

  /// A snapshot of this process's environment.
  [[nodiscard]] static Config from_environment();

  [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
  [[nodiscard]] std::string get_or(std::string_view name, std::string_view fallback) const;
  /// The value of `name`, which must be set and non-empty. Otherwise throws ConfigError,
  /// whose message names the key and how to set it; thrown from a handler it fails the
  /// call (502 to the agent, the message on stderr).
  [[nodiscard]] std::string require(std::string_view name) const;
  [[nodiscard]] bool contains(std::string_view name) const;
  [[nodiscard]] const std::map<std::string, std::string, std::less<>>& entries() const noexcept {
    return values_;
  }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

/// A required configuration value is missing or empty (see Config::require).
class FDK_API ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(std::string key);
  /// The configuration key that is missing.
  [[nodiscard]] const std::string& key() const noexcept { return key_; }

 private:
  std::string key_;
};

}  // namespace fdk
