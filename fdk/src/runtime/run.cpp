#include "fdk/run.hpp"

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <string>
#include <variant>

#include "runtime/listener.hpp"
#include "runtime/log.hpp"
#include "runtime/server.hpp"

namespace fdk {

namespace {

// Limits above these are typos, not intentions, and would overflow the connection's buffer
// arithmetic: refuse them like any other bad value.
constexpr std::size_t kLargestBodyLimit = std::size_t(1) << 40;
constexpr std::size_t kLargestHeaderLimit = std::size_t(1) << 30;

// A positive whole number of bytes, digits only: "-1" must not wrap around to "no limit".
std::optional<std::size_t> parse_byte_count(const std::string& text, std::size_t largest) {
  if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos) return {};
  errno = 0;
  unsigned long long value = std::strtoull(text.c_str(), nullptr, 10);
  if (errno != 0 || value == 0 || value > largest) return {};
  return static_cast<std::size_t>(value);
}

// The environment overrides the compiled-in option. A bad value in either stops the
// function at start with a clear line, rather than silently changing or removing a limit.
std::variant<std::size_t, std::string> byte_limit(const Config& config, const char* name, std::size_t option,
                                                  std::size_t largest) {
  auto text = config.get(name);
  if (!text) {
    if (option == 0 || option > largest) {
      return std::string("RunOptions sets ") + name + " to " + std::to_string(option) +
             ", but it must be between 1 and " + std::to_string(largest) + " bytes.";
    }
    return option;
  }
  if (auto value = parse_byte_count(*text, largest)) return *value;
  return std::string(name) + "='" + *text + "' is not a number of bytes between 1 and " + std::to_string(largest) +
         " (digits only, e.g. 6291456); fix or unset it.";
}

}  // namespace

int run(Handler handler, RunOptions options) {
  if (!handler) {
    runtime::write_stderr_line("fdk-cpp: cannot start: fdk::run was given an empty handler.");
    return 2;
  }
  auto config = std::make_shared<const Config>(Config::from_environment());
  auto paths = runtime::listener_paths_from(*config);
  if (auto* problem = std::get_if<std::string>(&paths)) {
    runtime::write_stderr_line("fdk-cpp: cannot start: " + *problem);
    return 2;
  }
  runtime::ServerSettings settings;
  settings.paths = std::get<runtime::ListenerPaths>(paths);
  auto body_limit = byte_limit(*config, "FDK_MAX_BODY_BYTES", options.max_body_bytes, kLargestBodyLimit);
  auto header_limit = byte_limit(*config, "FDK_MAX_HEADER_BYTES", options.max_header_bytes, kLargestHeaderLimit);
  for (const auto* limit : {&body_limit, &header_limit}) {
    if (auto* problem = std::get_if<std::string>(limit)) {
      runtime::write_stderr_line("fdk-cpp: cannot start: " + *problem);
      return 2;
    }
  }
  settings.limits.max_body_bytes = std::get<std::size_t>(body_limit);
  settings.limits.max_header_bytes = std::get<std::size_t>(header_limit);
  settings.environment = protocol::FunctionEnvironment::from_config(std::move(config));
  runtime::Server server(std::move(handler), std::move(settings));
  return server.run();
}

}  // namespace fdk
