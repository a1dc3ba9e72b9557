// fdk::Config — the function's configuration (its environment).
#pragma once

#include <map>
#include <optional>
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
/// @endcode
class FDK_API Config {
 public:
  Config() = default;
  explicit Config(std::map<std::string, std::string, std::less<>> values);

  /// A snapshot of this process's environment.
  [[nodiscard]] static Config from_environment();

  [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
  [[nodiscard]] std::string get_or(std::string_view name, std::string_view fallback) const;
  [[nodiscard]] bool contains(std::string_view name) const;
  [[nodiscard]] const std::map<std::string, std::string, std::less<>>& entries() const noexcept {
    return values_;
  }

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace fdk
