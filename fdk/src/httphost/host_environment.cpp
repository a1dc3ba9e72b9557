#include "httphost/host_environment.hpp"

#include "duration.hpp"

namespace fdk::httphost {

std::variant<std::optional<std::chrono::milliseconds>, std::string> timeout_variable(const Config& config,
                                                                                     const char* name) {
  auto text = config.get(name);
  if (!text || text->empty()) return std::optional<std::chrono::milliseconds>();
  auto parsed = detail::parse_timeout(*text);
  if (!parsed) {
    return std::string(name) + "='" + *text +
           "' is not a duration such as 30s, 1m30s or 300 (seconds), at most 30 days; fix or unset it.";
  }
  if (parsed->count() == 0) return std::optional<std::chrono::milliseconds>();
  return std::optional<std::chrono::milliseconds>(*parsed);
}

PlatformAttributes HostEnvironment::platform_attributes() const {
  PlatformAttributes attributes;
  for (const auto& [name, value] : {std::pair<const char*, const std::string*>{"revision", &revision},
                                    {"configuration", &configuration},
                                    {"watchdog_mode", &watchdog_mode}}) {
    if (!value->empty()) attributes.emplace(name, *value);
  }
  return attributes;
}

std::variant<HostEnvironment, std::string> HostEnvironment::from_config(const Config& config) {
  HostEnvironment env;
  env.service = config.get_or("K_SERVICE", "");
  env.revision = config.get_or("K_REVISION", "");
  env.configuration = config.get_or("K_CONFIGURATION", "");
  env.watchdog_mode = config.get_or("mode", "");
  auto fdk_timeout = timeout_variable(config, "FDK_TIMEOUT");
  if (auto* problem = std::get_if<std::string>(&fdk_timeout)) return *problem;
  env.default_timeout = std::get<0>(fdk_timeout);
  if (env.watchdog_mode == "http") {
    auto exec_timeout = timeout_variable(config, "exec_timeout");
    if (auto* problem = std::get_if<std::string>(&exec_timeout)) return *problem;
    env.watchdog_timeout = std::get<0>(exec_timeout);
  }
  return env;
}

}  // namespace fdk::httphost
