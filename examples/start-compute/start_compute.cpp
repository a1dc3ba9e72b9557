#include "start_compute.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iostream>
#include <stdexcept>
#include <string>

#include <fdk/oci/compute.hpp>
#include <fdk/oci/waiter.hpp>
#include <nlohmann/json.hpp>

namespace start_compute {
namespace {

using std::chrono::milliseconds;

constexpr const char* kBodyHint = R"(send {"instance_id": "<instance OCID>"})";
constexpr double kDefaultPollSeconds = 10;
constexpr double kLongestPollSeconds = 3600;

/// The body exactly as Python's json.dumps({key: value}) writes it: the users' cron jobs
/// log and grep this line, so even the spacing stays the original's.
std::string python_json_object(const std::string& key, const std::string& value) {
  const auto quoted = [](const std::string& text) { return nlohmann::json(text).dump(-1, ' ', /*ensure_ascii=*/true); };
  return "{" + quoted(key) + ": " + quoted(value) + "}";
}

fdk::Response launched(const std::string& instance_id) {
  fdk::Response response;
  response.set_body(python_json_object("message", "launch instance " + instance_id + " is successfull"));
  response.set_content_type("application/json");
  return response;
}

bool looks_like_instance_ocid(const std::string& text) {
  const std::string prefix = "ocid1.instance.";
  if (text.size() <= prefix.size() || text.compare(0, prefix.size(), prefix) != 0) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
  });
}

/// The instance OCID from the body; a 400 saying what is wrong otherwise (the original
/// crashed on such bodies).
std::string instance_id_from(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    throw fdk::HttpError(400, std::string("The request body is empty: ") + kBodyHint + ".");
  }
  const auto input = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (input.is_discarded()) throw fdk::HttpError(400, std::string("The request body is not valid JSON: ") + kBodyHint + ".");
  if (!input.is_object() || !input.contains("instance_id")) {
    throw fdk::HttpError(400, std::string("The request body has no \"instance_id\": ") + kBodyHint + ".");
  }
  const auto& value = input["instance_id"];
  if (!value.is_string() || !looks_like_instance_ocid(value.get<std::string>())) {
    // The value is not echoed: it may be long or contain anything.
    throw fdk::HttpError(400, "\"instance_id\" must be a string holding a Compute instance OCID (ocid1.instance...).");
  }
  return value.get<std::string>();
}

/// POLL_INTERVAL_SECONDS as milliseconds; a 500 naming it when unusable.
milliseconds poll_interval(const fdk::Config& config) {
  try {
    return fdk::oci::seconds_setting(config, "POLL_INTERVAL_SECONDS", kDefaultPollSeconds, kLongestPollSeconds);
  } catch (const std::invalid_argument& unusable) {
    throw fdk::HttpError(500, unusable.what());
  }
}

bool is_terminal(const std::string& state) { return state == "TERMINATING" || state == "TERMINATED"; }

/// States from which the instance reaches RUNNING without a START action.
bool starts_by_itself(const std::string& state) { return state == "STARTING" || state == "PROVISIONING"; }

fdk::HttpError terminal_error(const std::string& instance_id, const std::string& state) {
  return fdk::HttpError(409, "Instance " + instance_id + " is " + state + " and can no longer be started.");
}

std::string seconds_text(milliseconds duration) {
  const double seconds = static_cast<double>(duration.count()) / 1000.0;
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", seconds);
  return text;
}

/// Polls until RUNNING, logging each state change, and answers as the issue asks.
fdk::Response wait_until_running(fdk::oci::ComputeClient& compute, const std::string& instance_id,
                                 const fdk::oci::WaitOptions& options) {
  fdk::oci::WaitOptions polling = options;
  polling.on_state_change = [&](const std::string& state) {
    std::cerr << "start-compute: instance " << instance_id << " is " << state << "\n";
  };
  // Each GET is bounded by the same deadline as the polling.
  const auto result = fdk::oci::wait_for_instance(compute, instance_id, "RUNNING", polling);
  switch (result.outcome) {
    case fdk::oci::WaitOutcome::reached:
      return launched(instance_id);
    case fdk::oci::WaitOutcome::failed:
      throw terminal_error(instance_id, result.last.lifecycle_state);
    case fdk::oci::WaitOutcome::timed_out:
      break;
  }
  throw fdk::HttpError(504, "Instance " + instance_id + " was still " + result.last.lifecycle_state + " after " +
                                seconds_text(result.waited) +
                                " s of polling; stopped waiting before the function's deadline. The start goes on: "
                                "call again, or raise the function's timeout.");
}

fdk::Response start_instance(fdk::Context& ctx, std::string_view body, const ClientSource& clients) {
  const std::string instance_id = instance_id_from(body);
  fdk::oci::WaitOptions polling;
  polling.interval = poll_interval(ctx.config());
  // The original polled forever; here only the function's deadline ends the wait.
  polling.max_wait = std::chrono::hours(24);
  polling.deadline = fdk::oci::stop_polling_at(ctx, kAnswerMargin);

  fdk::oci::ComputeClient compute(clients(ctx.config()));
  fdk::oci::CallOptions call;
  call.deadline = polling.deadline;
  const auto instance = compute.get_instance(instance_id, call);
  const std::string& state = instance.lifecycle_state;
  std::cerr << "start-compute: instance " << instance_id << " is " << state << "\n";
  if (state == "RUNNING") return launched(instance_id);
  if (is_terminal(state)) throw terminal_error(instance_id, state);
  if (!starts_by_itself(state)) {
    // A ServiceError here (after the SDK's retries) propagates: the call fails with 502.
    compute.instance_action(instance_id, fdk::oci::InstanceAction::start, call);
    std::cerr << "start-compute: START sent to instance " << instance_id << "\n";
  }
  return wait_until_running(compute, instance_id, polling);
}

}  // namespace

fdk::Handler handler(ClientSource clients) {
  return [clients = std::move(clients)](fdk::Context& ctx, std::string_view body) {
    return start_instance(ctx, body, clients);
  };
}

}  // namespace start_compute
