#include "fdk/run.hpp"

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <string>
#include <variant>

#include "httphost/host_environment.hpp"
#include "lambda/lambda_runtime.hpp"
#include "platform/memory_limit.hpp"
#include "platform/selection.hpp"
#include "runtime/http_endpoint.hpp"
#include "runtime/listener.hpp"
#include "runtime/log.hpp"
#include "runtime/server.hpp"
#include "runtime/stdio_transport.hpp"
#include "version_flag.hpp"

namespace fdk {

namespace {

// Limits above these are typos, not intentions, and would overflow the connection's buffer
// arithmetic: refuse them like any other bad value.
constexpr std::size_t kLargestBodyLimit = std::size_t(1) << 40;
constexpr std::size_t kLargestHeaderLimit = std::size_t(1) << 30;
constexpr std::size_t kLargestStuckHandlers = 1000;
constexpr std::size_t kLargestDeadlineMarginMs = 60000;
constexpr std::size_t kLargestConcurrency = 100000;
// Cloud Run sends SIGKILL 10 s after SIGTERM; Knative only after its queue-proxy has drained.
constexpr std::chrono::milliseconds kHttpShutdownGrace{9000};

struct Range {
  std::size_t smallest;
  std::size_t largest;
  const char* unit;  // "bytes", "handlers", "milliseconds"
};

// A whole number in range, digits only: "-1" must not wrap around to "no limit".
std::optional<std::size_t> parse_count(const std::string& text, Range range) {
  if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos) return {};
  errno = 0;
  unsigned long long value = std::strtoull(text.c_str(), nullptr, 10);
  if (errno != 0 || value < range.smallest || value > range.largest) return {};
  return static_cast<std::size_t>(value);
}

// The environment overrides the compiled-in option. A bad value in either stops the
// function at start with a clear line, rather than silently changing or removing a limit.
std::variant<std::size_t, std::string> setting(const Config& config, const char* name, std::size_t option,
                                               Range range) {
  std::string bounds = "between " + std::to_string(range.smallest) + " and " + std::to_string(range.largest) +
                       " " + range.unit;
  auto text = config.get(name);
  if (!text) {
    if (option < range.smallest || option > range.largest) {
      return std::string("RunOptions sets ") + name + " to " + std::to_string(option) + ", but it must be " + bounds +
             ".";
    }
    return option;
  }
  if (auto value = parse_count(*text, range)) return *value;
  return std::string(name) + "='" + *text + "' is not a whole number " + bounds + " (digits only); fix or unset it.";
}

// The limits every platform shares, from RunOptions and the environment.
std::variant<runtime::ServerSettings, std::string> common_settings(const std::shared_ptr<const Config>& config,
                                                                   const RunOptions& options) {
  runtime::ServerSettings settings;
  auto body_limit = setting(*config, "FDK_MAX_BODY_BYTES", options.max_body_bytes, {1, kLargestBodyLimit, "bytes"});
  auto header_limit =
      setting(*config, "FDK_MAX_HEADER_BYTES", options.max_header_bytes, {1, kLargestHeaderLimit, "bytes"});
  auto stuck_limit =
      setting(*config, "FDK_MAX_STUCK_HANDLERS", options.max_stuck_handlers, {1, kLargestStuckHandlers, "handlers"});
  auto margin = setting(*config, "FDK_DEADLINE_MARGIN_MS",
                        options.deadline_margin.count() < 0 ? kLargestDeadlineMarginMs + 1
                                                            : static_cast<std::size_t>(options.deadline_margin.count()),
                        {0, kLargestDeadlineMarginMs, "milliseconds"});
  for (const auto* value : {&body_limit, &header_limit, &stuck_limit, &margin}) {
    if (auto* problem = std::get_if<std::string>(value)) return *problem;
  }
  settings.limits.max_body_bytes = std::get<std::size_t>(body_limit);
  settings.limits.max_header_bytes = std::get<std::size_t>(header_limit);
  settings.max_stuck_handlers = std::get<std::size_t>(stuck_limit);
  settings.environment = protocol::FunctionEnvironment::from_config(config);
  settings.environment.deadline_margin = std::chrono::milliseconds(std::get<std::size_t>(margin));
  return settings;
}

// HTTP hosts: the caller's requests arrive directly, on TCP.
std::string add_http_settings(runtime::ServerSettings& settings, const Config& config) {
  auto endpoint = runtime::http_endpoint(config);
  if (auto* problem = std::get_if<std::string>(&endpoint)) return *problem;
  auto host = httphost::HostEnvironment::from_config(config);
  if (auto* problem = std::get_if<std::string>(&host)) return *problem;
  auto concurrency = setting(config, "FDK_MAX_CONCURRENCY", 0, {0, kLargestConcurrency, "calls"});
  if (auto* problem = std::get_if<std::string>(&concurrency)) return *problem;
  settings.tcp = std::get<runtime::TcpEndpoint>(endpoint);
  settings.max_concurrent_calls = std::get<std::size_t>(concurrency);
  settings.shutdown_grace = kHttpShutdownGrace;
  settings.protocol = runtime::http_protocol(settings.environment, std::get<httphost::HostEnvironment>(host),
                                             settings.limits);
  return {};
}

int refuse_start(const std::string& problem) {
  runtime::write_stderr_line("fdk-cpp: cannot start: " + problem);
  return 2;
}

}  // namespace

int run(Handler handler, RunOptions options) {
  if (auto exit_code = detail::answer_version_flag(detail::process_arguments())) return *exit_code;
  auto config = std::make_shared<const Config>(Config::from_environment());
  auto selection = platform::select_platform(*config, options.platform);
  if (auto* problem = std::get_if<std::string>(&selection)) return refuse_start(*problem);
  const auto& chosen = std::get<platform::Selection>(selection);
  auto prepared = common_settings(config, options);
  if (auto* problem = std::get_if<std::string>(&prepared)) return refuse_start(*problem);
  auto settings = std::get<runtime::ServerSettings>(std::move(prepared));
  // HTTP hosts and the watchdogs name no memory size: the container's cgroup limit is it.
  if (chosen.platform == Platform::http || chosen.platform == Platform::stdio) {
    settings.environment.function.memory_mb = platform::read_memory_limit_mb();
  }
  // Lambda reports an empty handler to its Runtime API (as the init error).
  if (chosen.platform == Platform::lambda) {
    return lambda::serve_on_lambda(handler, std::move(config), settings.environment.deadline_margin,
                                   platform::announcement(chosen));
  }
  if (!handler) return refuse_start("fdk::run was given an empty handler.");
  if (chosen.platform == Platform::stdio) {
    // No announcement: a watchdog that combines output would put it in the caller's body.
    return runtime::serve_stdio(handler, settings, *config);
  }
  if (chosen.platform == Platform::http) {
    if (std::string problem = add_http_settings(settings, *config); !problem.empty()) return refuse_start(problem);
  } else {
    auto paths = runtime::listener_paths_from(*config);
    if (auto* problem = std::get_if<std::string>(&paths)) return refuse_start(*problem);
    settings.paths = std::get<runtime::ListenerPaths>(paths);
  }
  // Announced once listening, so that a failure to start stays a single line.
  settings.ready_line = platform::announcement(chosen);
  runtime::Server server(std::move(handler), std::move(settings));
  return server.run();
}

}  // namespace fdk
