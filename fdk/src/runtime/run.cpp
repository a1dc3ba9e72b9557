#include "fdk/run.hpp"

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <string>
#include <variant>

#include "lambda/lambda_runtime.hpp"
#include "platform/selection.hpp"
#include "runtime/listener.hpp"
#include "runtime/log.hpp"
#include "runtime/server.hpp"
#include "version_flag.hpp"

namespace fdk {

namespace {

// Limits above these are typos, not intentions, and would overflow the connection's buffer
// arithmetic: refuse them like any other bad value.
constexpr std::size_t kLargestBodyLimit = std::size_t(1) << 40;
constexpr std::size_t kLargestHeaderLimit = std::size_t(1) << 30;
constexpr std::size_t kLargestStuckHandlers = 1000;
constexpr std::size_t kLargestDeadlineMarginMs = 60000;

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

int run_on_fn(Handler handler, const RunOptions& options, std::shared_ptr<const Config> config,
              const std::string& announcement) {
  if (!handler) {
    runtime::write_stderr_line("fdk-cpp: cannot start: fdk::run was given an empty handler.");
    return 2;
  }
  auto paths = runtime::listener_paths_from(*config);
  if (auto* problem = std::get_if<std::string>(&paths)) {
    runtime::write_stderr_line("fdk-cpp: cannot start: " + *problem);
    return 2;
  }
  runtime::ServerSettings settings;
  settings.paths = std::get<runtime::ListenerPaths>(paths);
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
    if (auto* problem = std::get_if<std::string>(value)) {
      runtime::write_stderr_line("fdk-cpp: cannot start: " + *problem);
      return 2;
    }
  }
  settings.limits.max_body_bytes = std::get<std::size_t>(body_limit);
  settings.limits.max_header_bytes = std::get<std::size_t>(header_limit);
  settings.max_stuck_handlers = std::get<std::size_t>(stuck_limit);
  settings.environment = protocol::FunctionEnvironment::from_config(std::move(config));
  settings.environment.deadline_margin = std::chrono::milliseconds(std::get<std::size_t>(margin));
  settings.ready_line = announcement;
  runtime::Server server(std::move(handler), std::move(settings));
  return server.run();
}

}  // namespace

int run(Handler handler, RunOptions options) {
  if (auto exit_code = detail::answer_version_flag(detail::process_arguments())) return *exit_code;
  auto config = std::make_shared<const Config>(Config::from_environment());
  auto selection = platform::select_platform(*config, options.platform);
  if (auto* problem = std::get_if<std::string>(&selection)) {
    runtime::write_stderr_line("fdk-cpp: cannot start: " + *problem);
    return 2;
  }
  // Announced once the platform's transport has started, so that a start-up failure stays
  // a single line.
  const auto& chosen = std::get<platform::Selection>(selection);
  switch (chosen.platform) {
    case Platform::fn:
      return run_on_fn(std::move(handler), options, std::move(config), platform::announcement(chosen));
    case Platform::lambda:
      return lambda::serve_on_lambda(handler, std::move(config), platform::announcement(chosen));
    case Platform::http:
    case Platform::stdio:
      break;
  }
  runtime::write_stderr_line(std::string("fdk-cpp: cannot start: platform ") + platform_name(chosen.platform) +
                             " was selected (" + chosen.reason +
                             "), but this build serves only fn and lambda; start it under Fn or AWS Lambda.");
  return 2;
}

}  // namespace fdk
