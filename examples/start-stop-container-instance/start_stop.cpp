#include "start_stop.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <string>

#include <fdk/oci/container_instances.hpp>
#include <fdk/oci/errors.hpp>
#include <fdk/oci/secrets.hpp>
#include <fdk/oci/waiter.hpp>
#include <nlohmann/json.hpp>

namespace start_stop {
namespace {

using std::chrono::milliseconds;

constexpr double kDefaultPollSeconds = 15;
constexpr double kDefaultMaxWaitSeconds = 240;
constexpr double kLongestSeconds = 3600;

/// An answer decided before the end of the handler (refusal, no-op, secret failure).
struct EarlyAnswer {
  fdk::Response response;
};

/// The body exactly as Python's json.dumps({key: value}) writes it, spacing included: the
/// original's callers compare these lines.
std::string python_json_object(const std::string& key, const std::string& value) {
  const auto quoted = [](const std::string& text) { return nlohmann::json(text).dump(-1, ' ', /*ensure_ascii=*/true); };
  return "{" + quoted(key) + ": " + quoted(value) + "}";
}

fdk::Response json_answer(int status, const std::string& key, const std::string& text) {
  fdk::Response response;
  response.set_status(status);
  response.set_body(python_json_object(key, text));
  response.set_content_type("application/json");
  return response;
}

fdk::Response message(const std::string& text) { return json_answer(200, "message", text); }
fdk::Response error(int status, const std::string& text) { return json_answer(status, "error", text); }

enum class Action { start, stop, toggle };

const char* verb(Action action) {
  switch (action) {
    case Action::start: return "start";
    case Action::stop: return "stop";
    case Action::toggle: return "toggle";
  }
  return "";
}

EarlyAnswer invalid_action(const std::string& shown) {
  return {error(400, "Invalid action '" + shown + "'. Must be 'start', 'stop', or 'toggle'.")};
}

/// The requested action; no body, or a body without "action", means toggle (as the original).
Action action_from(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return Action::toggle;
  const auto input = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (input.is_discarded() || !input.is_object()) {
    throw EarlyAnswer{error(400, R"(The request body must be a JSON object such as {"action": "start"}, or empty to toggle.)")};
  }
  if (!input.contains("action")) return Action::toggle;
  const auto& value = input["action"];
  if (!value.is_string()) throw invalid_action(value.dump());
  const std::string text = value.get<std::string>();
  if (text == "start") return Action::start;
  if (text == "stop") return Action::stop;
  if (text == "toggle") return Action::toggle;
  throw invalid_action(text);
}

struct Settings {
  std::string secret_id;
  milliseconds poll_interval;
  milliseconds max_wait;
};

milliseconds seconds_from_config(const fdk::Config& config, const std::string& name, double fallback) {
  try {
    return fdk::oci::seconds_setting(config, name, fallback, kLongestSeconds);
  } catch (const std::invalid_argument& unusable) {
    throw EarlyAnswer{error(500, unusable.what())};
  }
}

Settings settings_from(const fdk::Config& config) {
  Settings settings;
  settings.secret_id = config.get_or("SECRET_OCID", "");
  if (settings.secret_id.empty()) {
    throw EarlyAnswer{error(500, "Function config SECRET_OCID is not set: set it to the OCID of the Vault secret "
                                 "that holds the Container Instance OCID.")};
  }
  settings.poll_interval = seconds_from_config(config, "POLL_INTERVAL_SECONDS", kDefaultPollSeconds);
  settings.max_wait = seconds_from_config(config, "MAX_WAIT_SECONDS", kDefaultMaxWaitSeconds);
  return settings;
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

/// The Container Instance OCID held by the secret. Any failure to read it gives the
/// original's message; the reason goes to the log (never the secret's content). Unusable
/// credentials are not a secret problem: they propagate as unexpected.
std::string container_instance_id_from(fdk::oci::SecretsClient& secrets, const std::string& secret_id,
                                       const fdk::oci::CallOptions& call) {
  std::string reason;
  try {
    const std::string content = trimmed(secrets.get_secret_bundle(secret_id, {}, call).content);
    if (content.rfind("ocid1.", 0) == 0) return content;
    reason = "its content is not an OCID";
  } catch (const fdk::oci::CredentialsError&) {
    throw;
  } catch (const std::exception& failure) {
    reason = failure.what();
  }
  std::cerr << "start-stop: reading secret " << secret_id << " failed: " << reason << "\n";
  throw EarlyAnswer{message("Failed to retrieve the OCID from the vault secret.")};
}

/// Start or stop, or nothing (with the original's answer) when the state does not allow it.
Action decide(Action requested, const std::string& state) {
  const bool active = state == "ACTIVE";
  const bool inactive = state == "INACTIVE";
  if (!active && !inactive) {
    throw EarlyAnswer{message("Container instance is in " + state + " state. Cannot " + verb(requested) + " now.")};
  }
  if ((requested == Action::start && active) || (requested == Action::stop && inactive)) {
    throw EarlyAnswer{message("Container instance is already " + state + ". No action taken.")};
  }
  return active ? Action::stop : Action::start;
}

/// Seconds as the original printed them: "240" for whole seconds, "0.25" otherwise.
std::string seconds_text(milliseconds duration) {
  if (duration.count() % 1000 == 0) return std::to_string(duration.count() / 1000);
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", static_cast<double>(duration.count()) / 1000.0);
  std::string shown = text;
  shown.erase(shown.find_last_not_of('0') + 1);
  return shown;
}

fdk::Response wait_for(fdk::oci::ContainerInstancesClient& containers, const std::string& id, Action action,
                       const Settings& settings, std::chrono::system_clock::time_point stop_at) {
  const std::string target = action == Action::start ? "ACTIVE" : "INACTIVE";
  fdk::oci::WaitOptions options;
  options.interval = settings.poll_interval;
  options.max_wait = settings.max_wait;
  options.deadline = stop_at;
  // What the timeout message names: the configured wait, or less when the deadline comes first.
  const auto until_deadline = std::chrono::duration_cast<milliseconds>(stop_at - std::chrono::system_clock::now());
  const milliseconds budget = std::max(milliseconds(0), std::min(settings.max_wait, until_deadline));

  options.on_state_change = [](const std::string& state) {
    std::cerr << "start-stop: container instance is " << state << "\n";
  };
  // Each GET is bounded by the same deadline as the polling.
  const auto result = fdk::oci::wait_for_container_instance(containers, id, target, options);
  const std::string& state = result.last.lifecycle_state;
  switch (result.outcome) {
    case fdk::oci::WaitOutcome::reached:
      return message(std::string("Container instance has been successfully ") +
                     (action == Action::start ? "started." : "stopped."));
    case fdk::oci::WaitOutcome::failed:
      return message("Container instance is in " + state + " state and will not become " + target + ".");
    case fdk::oci::WaitOutcome::timed_out:
      break;
  }
  return message("Instance did not reach " + target + " within " + seconds_text(budget) + "s. Last state: " + state);
}

fdk::Response start_or_stop(fdk::Context& ctx, std::string_view body, const ClientSource& clients) {
  const Action requested = action_from(body);
  const Settings settings = settings_from(ctx.config());
  const auto stop_at = fdk::oci::stop_polling_at(ctx, kAnswerMargin);
  fdk::oci::CallOptions call;
  call.deadline = stop_at;

  const auto client = clients(ctx.config());
  fdk::oci::SecretsClient secrets(client);
  const std::string id = container_instance_id_from(secrets, settings.secret_id, call);
  fdk::oci::ContainerInstancesClient containers(client);
  const std::string state = containers.get(id, call).lifecycle_state;
  std::cerr << "start-stop: " << verb(requested) << " requested; container instance is " << state << "\n";
  const Action action = decide(requested, state);
  if (action == Action::start) {
    containers.start(id, call);
  } else {
    containers.stop(id, call);
  }
  std::cerr << "start-stop: " << verb(action) << " accepted\n";
  return wait_for(containers, id, action, settings, stop_at);
}

}  // namespace

fdk::Handler handler(ClientSource clients) {
  return [clients = std::move(clients)](fdk::Context& ctx, std::string_view body) {
    try {
      return start_or_stop(ctx, body, clients);
    } catch (const EarlyAnswer& answer) {
      return answer.response;
    } catch (const std::exception& failure) {
      // The original answered every unexpected error with 500 {"error": "<detail>"}.
      std::cerr << "start-stop: failed: " << failure.what() << "\n";
      return error(500, failure.what());
    }
  };
}

}  // namespace start_stop
