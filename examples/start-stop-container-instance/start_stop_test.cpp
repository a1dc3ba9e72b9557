// start-stop-container-instance through the in-process harness (fdk::testing::invoke) against
// the OCI emulator in this process: one test per row of the issue's table, and the edges.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <fdk/testing.hpp>
#include <string>
#include <thread>

#include "start_stop.hpp"
#include "testing/example_emulator.hpp"

namespace {

using namespace std::chrono_literals;
using example_test::ExampleEmulator;

constexpr const char* kContainer = "ocid1.computecontainerinstance.oc1.iad.demo";
constexpr const char* kSecret = "ocid1.vaultsecret.oc1.iad.demo";

/// One container instance in `state`, and the secret naming it (with a trailing newline, as
/// secrets pasted into the console often have).
nlohmann::json container_in(const std::string& state) {
  return {{"container_instances", {{{"id", kContainer}, {"displayName", "web"}, {"lifecycleState", state}}}},
          {"secrets", {{{"id", kSecret}, {"content", std::string(kContainer) + "\n"}}}}};
}

std::shared_ptr<fdk::oci::Client> test_client(const fdk::Config& config) {
  fdk::oci::ClientOptions options;
  options.extra_ca_file = example_test::test_ca_file();
  options.retry.jitter = [] { return 0.0; };
  options.timing.sleep = [](std::chrono::milliseconds pause) { std::this_thread::sleep_for(pause / 20); };
  options.config = config;  // endpoint overrides and OCI_CA_BUNDLE come from the function config
  return std::make_shared<fdk::oci::Client>(start_stop::function_credentials(config), options);
}

fdk::testing::Call call_with(const ExampleEmulator& emulator, const std::string& body) {
  fdk::testing::Call call;
  call.with_body(body)
      .with_config("SECRET_OCID", kSecret)
      .with_config("POLL_INTERVAL_SECONDS", "0.05")
      .with_config("MAX_WAIT_SECONDS", "10");
  for (const auto& [name, value] : emulator.resource_principal_config()) call.with_config(name, value);
  return call;
}

fdk::testing::Result invoke(const fdk::testing::Call& call) {
  return fdk::testing::invoke(start_stop::handler(test_client), call);
}

std::string message(const std::string& text) { return R"({"message": ")" + text + R"("})"; }

void check_answer(const fdk::testing::Result& result, int status, const std::string& body) {
  CHECK(result.agent_status == 200);
  CHECK(result.status == status);
  CHECK(result.content_type == "application/json");
  CHECK(result.body == body);
}

}  // namespace

TEST_CASE("table row 'stopped': stop on ACTIVE stops it and waits for INACTIVE") {
  ExampleEmulator emulator(container_in("ACTIVE"), 300ms);
  check_answer(invoke(call_with(emulator, R"({"action": "stop"})")), 200,
               message("Container instance has been successfully stopped."));
  CHECK(emulator.state_of(kContainer) == "INACTIVE");
  CHECK(emulator.count_requests("POST", "/actions/stop") == 1);
}

TEST_CASE("table row 'started': start on INACTIVE starts it and waits for ACTIVE") {
  ExampleEmulator emulator(container_in("INACTIVE"), 300ms);
  check_answer(invoke(call_with(emulator, R"({"action": "start"})")), 200,
               message("Container instance has been successfully started."));
  CHECK(emulator.state_of(kContainer) == "ACTIVE");
  CHECK(emulator.count_requests("GET", "/containerInstances/") >= 3);
}

TEST_CASE("toggle flips the state; no body and a body without action mean toggle") {
  ExampleEmulator emulator(container_in("INACTIVE"), 200ms);
  check_answer(invoke(call_with(emulator, "")), 200, message("Container instance has been successfully started."));
  check_answer(invoke(call_with(emulator, R"({"action": "toggle"})")), 200,
               message("Container instance has been successfully stopped."));
  check_answer(invoke(call_with(emulator, "{}")), 200, message("Container instance has been successfully started."));
  CHECK(emulator.state_of(kContainer) == "ACTIVE");
}

TEST_CASE("table row 'already there': start on ACTIVE and stop on INACTIVE take no action") {
  ExampleEmulator active(container_in("ACTIVE"), 300ms);
  check_answer(invoke(call_with(active, R"({"action": "start"})")), 200,
               message("Container instance is already ACTIVE. No action taken."));
  CHECK(active.count_requests("POST", "/actions/") == 0);

  ExampleEmulator inactive(container_in("INACTIVE"), 300ms);
  check_answer(invoke(call_with(inactive, R"({"action": "stop"})")), 200,
               message("Container instance is already INACTIVE. No action taken."));
  CHECK(inactive.count_requests("POST", "/actions/") == 0);
}

TEST_CASE("table row 'transitional': other states take no action, naming state and verb") {
  for (const auto& [state, action] : std::map<std::string, std::string>{
           {"CREATING", "start"}, {"UPDATING", "stop"}, {"FAILED", "toggle"}, {"DELETING", "start"}}) {
    CAPTURE(state);
    ExampleEmulator emulator(container_in(state), 300ms);
    check_answer(invoke(call_with(emulator, R"({"action": ")" + action + R"("})")), 200,
                 message("Container instance is in " + state + " state. Cannot " + action + " now."));
    CHECK(emulator.count_requests("POST", "/actions/") == 0);
  }
}

TEST_CASE("table row 'timed out': the target state not reached within MAX_WAIT_SECONDS") {
  ExampleEmulator emulator(container_in("ACTIVE"), 30000ms);
  check_answer(invoke(call_with(emulator, R"({"action": "stop"})").with_config("MAX_WAIT_SECONDS", "0.4")), 200,
               message("Instance did not reach INACTIVE within 0.4s. Last state: UPDATING"));
  check_answer(invoke(call_with(emulator, R"({"action": "start"})").with_config("MAX_WAIT_SECONDS", "1")), 200,
               message("Container instance is in UPDATING state. Cannot start now."));
}

TEST_CASE("a deadline before MAX_WAIT_SECONDS ends the wait early, still with the timed-out message") {
  ExampleEmulator emulator(container_in("INACTIVE"), 30000ms);
  const auto started = std::chrono::steady_clock::now();
  const auto result = invoke(call_with(emulator, R"({"action": "start"})").with_timeout(2500ms));
  CHECK(std::chrono::steady_clock::now() - started < 2500ms);
  CHECK(result.agent_status == 200);
  CHECK(result.status == 200);
  // The wait is the time left before the deadline margin, so how long it was depends on how
  // fast the call started: on a loaded machine it is shorter. Any wait inside the timeout is right.
  const std::string text = result.json()["message"];
  const std::string prefix = "Instance did not reach ACTIVE within ";
  REQUIRE(text.rfind(prefix, 0) == 0);
  const double waited_seconds = std::stod(text.substr(prefix.size()));
  CHECK(waited_seconds > 0.0);
  CHECK(waited_seconds < 2.5);
  CHECK(text.find("s. Last state: UPDATING") != std::string::npos);
}

TEST_CASE("table row 'invalid action': 400 with the original error") {
  ExampleEmulator emulator(container_in("ACTIVE"), 300ms);
  check_answer(invoke(call_with(emulator, R"({"action": "restart"})")), 400,
               R"({"error": "Invalid action 'restart'. Must be 'start', 'stop', or 'toggle'."})");
  check_answer(invoke(call_with(emulator, R"({"action": "START"})")), 400,
               R"({"error": "Invalid action 'START'. Must be 'start', 'stop', or 'toggle'."})");
  check_answer(invoke(call_with(emulator, R"({"action": 5})")), 400,
               R"({"error": "Invalid action '5'. Must be 'start', 'stop', or 'toggle'."})");
  for (const char* body : {"{oops", "[\"start\"]", "\"start\""}) {
    CAPTURE(body);
    const auto result = invoke(call_with(emulator, body));
    CHECK(result.status == 400);
    CHECK(result.json()["error"] ==
          R"(The request body must be a JSON object such as {"action": "start"}, or empty to toggle.)");
  }
  CHECK(emulator.requests().empty());  // refused before any OCI call
}

TEST_CASE("table row 'secret failed': every way of not getting the OCID gives the original message") {
  const std::string failed = message("Failed to retrieve the OCID from the vault secret.");
  SUBCASE("no such secret") {
    ExampleEmulator emulator(container_in("ACTIVE"), 300ms);
    check_answer(invoke(call_with(emulator, "").with_config("SECRET_OCID", "ocid1.vaultsecret.oc1.iad.other")), 200, failed);
  }
  SUBCASE("content that is not an OCID") {
    ExampleEmulator emulator({{"secrets", {{{"id", kSecret}, {"content", "hunter2"}}}}}, 300ms);
    const auto result = invoke(call_with(emulator, ""));
    check_answer(result, 200, failed);
    CHECK(result.body.find("hunter2") == std::string::npos);
  }
  SUBCASE("content that is not base64") {
    ExampleEmulator emulator({{"secrets", {{{"id", kSecret}, {"content_base64", "%%%not base64"}}}}}, 300ms);
    check_answer(invoke(call_with(emulator, "")), 200, failed);
  }
  SUBCASE("the secrets service failing after the retries") {
    ExampleEmulator emulator(container_in("ACTIVE"), 300ms);
    emulator.add_fault({{"path", "/20190301/secretbundles/"}, {"status", 503}, {"count", 8}});
    check_answer(invoke(call_with(emulator, "")), 200, failed);
    // Retried with the SDK backoff until the next pause would pass the call's deadline.
    CHECK(emulator.count_requests("GET", "/secretbundles/") >= 3);
  }
}

TEST_CASE("table row 'unexpected': 500 with the error's detail") {
  SUBCASE("the secret names a container instance that does not exist") {
    ExampleEmulator emulator({{"secrets", {{{"id", kSecret}, {"content", "ocid1.computecontainerinstance.oc1..gone"}}}}}, 300ms);
    const auto result = invoke(call_with(emulator, ""));
    CHECK(result.agent_status == 200);
    CHECK(result.status == 500);
    CHECK(result.json()["error"].get<std::string>().find("NotAuthorizedOrNotFound") != std::string::npos);
  }
  SUBCASE("the stop action is refused") {
    ExampleEmulator emulator(container_in("ACTIVE"), 300ms);
    emulator.add_fault({{"method", "POST"}, {"status", 400}, {"code", "InvalidParameter"}});
    const auto result = invoke(call_with(emulator, R"({"action": "stop"})"));
    CHECK(result.status == 500);
    CHECK(result.json()["error"].get<std::string>().find("InvalidParameter") != std::string::npos);
    CHECK(emulator.state_of(kContainer) == "ACTIVE");
  }
  SUBCASE("unusable credentials are not reported as a secret failure") {
    ExampleEmulator emulator(container_in("ACTIVE"), 300ms);
    auto call = call_with(emulator, "");
    call.config["OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM"] = "/nonexistent/key.pem";
    const auto result = invoke(call);
    CHECK(result.status == 500);
    CHECK(result.json()["error"].get<std::string>().find("/nonexistent/key.pem") != std::string::npos);
  }
}

TEST_CASE("missing or unusable function config is a clear 500") {
  ExampleEmulator emulator(container_in("ACTIVE"), 300ms);
  auto call = call_with(emulator, "");
  call.config.erase("SECRET_OCID");
  check_answer(invoke(call), 500,
               R"({"error": "Function config SECRET_OCID is not set: set it to the OCID of the Vault secret that holds the Container Instance OCID."})");
  check_answer(invoke(call_with(emulator, "").with_config("MAX_WAIT_SECONDS", "forever")), 500,
               R"({"error": "Function config MAX_WAIT_SECONDS must be a number of seconds between 0 and 3600, not 'forever'."})");
  CHECK(emulator.requests().empty());
}

TEST_CASE("a container instance that fails while starting ends the wait at once") {
  ExampleEmulator emulator(container_in("INACTIVE"), 30000ms);
  std::thread breaker([&] {
    std::this_thread::sleep_for(300ms);
    emulator.set_state("container_instances", kContainer, "FAILED");
  });
  const auto result = invoke(call_with(emulator, R"({"action": "start"})"));
  breaker.join();
  check_answer(result, 200, message("Container instance is in FAILED state and will not become ACTIVE."));
}
