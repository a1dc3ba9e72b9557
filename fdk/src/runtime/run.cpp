#include "fdk/run.hpp"

#include <cerrno>
#include <cstdlib>

#include "runtime/listener.hpp"
#include "runtime/log.hpp"
#include "runtime/server.hpp"

namespace fdk {

namespace {

// A size from the environment overrides the compiled-in option; a bad value is reported
// and ignored rather than stopping the function.
std::size_t size_from_env(const Config& config, const char* name, std::size_t fallback) {
  auto text = config.get(name);
  if (!text) return fallback;
  errno = 0;
  char* end = nullptr;
  unsigned long long value = std::strtoull(text->c_str(), &end, 10);
  if (text->empty() || *end != '\0' || errno != 0 || value == 0) {
    runtime::write_stderr_line(std::string("fdk-cpp: ignoring ") + name + "='" + *text +
                               "': expected a positive number of bytes.");
    return fallback;
  }
  return static_cast<std::size_t>(value);
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
  settings.limits.max_body_bytes = size_from_env(*config, "FDK_MAX_BODY_BYTES", options.max_body_bytes);
  settings.limits.max_header_bytes = size_from_env(*config, "FDK_MAX_HEADER_BYTES", options.max_header_bytes);
  settings.environment = protocol::FunctionEnvironment::from_config(std::move(config));
  runtime::Server server(std::move(handler), std::move(settings));
  return server.run();
}

}  // namespace fdk
