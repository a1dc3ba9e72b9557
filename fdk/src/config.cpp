#include "fdk/config.hpp"

#include <cstring>

extern char** environ;

namespace fdk {

namespace {
std::string missing_config_message(const std::string& key) {
  return "The function's configuration has no value for '" + key + "'. Set it with `fn config function <app> <function> " +
         key + " <value>` (or `fn config app <app> " + key +
         " <value>` for every function of the app; in OCI Functions, the function's or application's "
         "Configuration page); when running locally, pass it as an environment variable (`fdk-invoke -e " +
         key + "=<value>`).";
}
}  // namespace

ConfigError::ConfigError(std::string key) : std::runtime_error(missing_config_message(key)), key_(std::move(key)) {}

Config::Config(std::map<std::string, std::string, std::less<>> values) : values_(std::move(values)) {}

Config Config::from_environment() {
  std::map<std::string, std::string, std::less<>> values;
  for (char** entry = environ; entry && *entry; ++entry) {
    const char* equals = std::strchr(*entry, '=');
    if (!equals) continue;
    values.emplace(std::string(*entry, static_cast<std::size_t>(equals - *entry)), std::string(equals + 1));
  }
  return Config(std::move(values));
}

std::optional<std::string> Config::get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Config::get_or(std::string_view name, std::string_view fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::string(fallback) : it->second;
}

std::string Config::require(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) throw ConfigError(std::string(name));
  return it->second;
}

bool Config::contains(std::string_view name) const { return values_.find(name) != values_.end(); }

}  // namespace fdk
