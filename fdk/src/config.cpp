#include "fdk/config.hpp"

#include <cstring>

extern char** environ;

namespace fdk {

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

bool Config::contains(std::string_view name) const { return values_.find(name) != values_.end(); }

}  // namespace fdk
