// start-compute through the in-process harness (fdk::testing::invoke) against the OCI
// emulator running in this process: real signing, HTTPS, retries and polling; short intervals.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <fdk/testing.hpp>
#include <thread>

#include "start_compute.hpp"
#include "testing/example_emulator.hpp"

namespace {

using namespace std::chrono_literals;
using example_test::ExampleEmulator;

constexpr const char* kStopped = "ocid1.instance.oc1.iad.stopped";
constexpr const char* kRunning = "ocid1.instance.oc1.iad.running";
constexpr const char* kStarting = "ocid1.instance.oc1.iad.starting";
constexpr const char* kTerminated = "ocid1.instance.oc1.iad.terminated";
constexpr const char* kTerminating = "ocid1.instance.oc1.iad.terminating";
constexpr const char* kUnknown = "ocid1.instance.oc1.iad.unknown";

nlohmann::json instances() {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [id, state] : std::map<std::string, std::string>{{kStopped, "STOPPED"},
                                                                    {kRunning, "RUNNING"},
                                                                    {kStarting, "STARTING"},
                                                                    {kTerminated, "TERMINATED"},
                                                                    {kTerminating, "TERMINATING"}}) {
    list.push_back({{"id", id}, {"displayName", "test"}, {"lifecycleState", state}});
  }
  return {{"instances", list}};
}

/// The function's own credential selection, trusting the test CA; retry pauses shortened
/// twentyfold so retried faults cost milliseconds.
std::shared_ptr<fdk::oci::Client> test_client(const fdk::Config& config) {
  fdk::oci::ClientOptions options;
  options.extra_ca_file = example_test::test_ca_file();
  options.retry.jitter = [] { return 0.0; };
  options.timing.sleep = [](std::chrono::milliseconds pause) { std::this_thread::sleep_for(pause / 20); };
  options.config = config;  // endpoint overrides and OCI_CA_BUNDLE come from the function config
  return std::make_shared<fdk::oci::Client>(start_compute::function_credentials(config), options);
}

fdk::testing::Call start_call(const ExampleEmulator& emulator, const std::string& body) {
  fdk::testing::Call call;
  call.with_body(body).with_content_type("application/json").with_config("POLL_INTERVAL_SECONDS", "0.05");
  for (const auto& [name, value] : emulator.resource_principal_config()) call.with_config(name, value);
  return call;
}

std::string body_for(const std::string& instance_id) { return R"({"instance_id": ")" + instance_id + R"("})"; }

fdk::testing::Result invoke(const fdk::testing::Call& call) {
  return fdk::testing::invoke(start_compute::handler(test_client), call);
}

std::string launched_body(const std::string& instance_id) {
  return R"({"message": "launch instance )" + instance_id + R"( is successfull"})";
}

}  // namespace

TEST_CASE("a stopped instance is started, polled until RUNNING, and the original message returned") {
  ExampleEmulator emulator(instances(), 300ms);
  const auto result = invoke(start_call(emulator, body_for(kStopped)));
  CHECK(result.agent_status == 200);
  CHECK(result.status == 200);
  CHECK(result.content_type == "application/json");
  CHECK(result.body == launched_body(kStopped));
  CHECK(emulator.state_of(kStopped) == "RUNNING");
  CHECK(emulator.count_requests("POST", "action=START") == 1);
  // STARTING lasts 300 ms and polls come every 50 ms: several polls saw it.
  CHECK(emulator.count_requests("GET", kStopped) >= 3);
}

TEST_CASE("an instance already RUNNING is a success at once, without a START") {
  ExampleEmulator emulator(instances(), 300ms);
  const auto result = invoke(start_call(emulator, body_for(kRunning)));
  CHECK(result.status == 200);
  CHECK(result.body == launched_body(kRunning));
  CHECK(emulator.count_requests("POST", "action=") == 0);
  CHECK(emulator.count_requests("GET", kRunning) == 1);
}

TEST_CASE("terminal states fail fast with 409 and no START") {
  ExampleEmulator emulator(instances(), 300ms);
  for (const char* id : {kTerminated, kTerminating}) {
    CAPTURE(id);
    const auto result = invoke(start_call(emulator, body_for(id)));
    CHECK(result.agent_status == 200);
    CHECK(result.status == 409);
    CHECK(result.json()["message"].get<std::string>().find("can no longer be started") != std::string::npos);
  }
  CHECK(emulator.count_requests("POST", "action=") == 0);
}

TEST_CASE("an instance terminated while being polled fails with 409") {
  ExampleEmulator emulator(instances(), 5000ms);
  std::thread terminator([&] {
    std::this_thread::sleep_for(400ms);
    emulator.set_state("instances", kStopped, "TERMINATED");
  });
  const auto result = invoke(start_call(emulator, body_for(kStopped)));
  terminator.join();
  CHECK(result.status == 409);
  CHECK(result.json()["message"] == std::string("Instance ") + kStopped + " is TERMINATED and can no longer be started.");
}

TEST_CASE("bad bodies get 400 with a clear message and no OCI call") {
  ExampleEmulator emulator(instances(), 300ms);
  const std::map<std::string, std::string> expected = {
      {"", "The request body is empty"},
      {"  \n", "The request body is empty"},
      {"{not json", "The request body is not valid JSON"},
      {"[1, 2]", "The request body has no \"instance_id\""},
      {R"({"instance": "ocid1.instance.oc1..x"})", "The request body has no \"instance_id\""},
      {R"({"instance_id": 42})", "\"instance_id\" must be a string holding a Compute instance OCID"},
      {R"({"instance_id": ""})", "\"instance_id\" must be a string holding a Compute instance OCID"},
      {R"({"instance_id": "ocid1.vaultsecret.oc1..x"})", "\"instance_id\" must be a string holding a Compute instance OCID"},
      {R"({"instance_id": "ocid1.instance.oc1../../x"})", "\"instance_id\" must be a string holding a Compute instance OCID"},
  };
  for (const auto& [body, message_start] : expected) {
    CAPTURE(body);
    const auto result = invoke(start_call(emulator, body));
    CHECK(result.agent_status == 200);
    CHECK(result.status == 400);
    CHECK(result.json()["message"].get<std::string>().rfind(message_start, 0) == 0);
  }
  CHECK(emulator.requests().empty());
}

TEST_CASE("an instance still starting at the deadline gives 504 before the deadline, after sending START") {
  ExampleEmulator emulator(instances(), 30000ms);
  const auto started = std::chrono::steady_clock::now();
  const auto result = invoke(start_call(emulator, body_for(kStopped)).with_timeout(2500ms));
  const auto took = std::chrono::steady_clock::now() - started;
  CHECK(result.agent_status == 200);  // answered by the handler, not cut off by the FDK
  CHECK(result.status == 504);
  const std::string message = result.json()["message"];
  CHECK(message.find(std::string("Instance ") + kStopped + " was still STARTING after ") == 0);
  CHECK(message.find("stopped waiting before the function's deadline") != std::string::npos);
  CHECK(took < 2500ms);
  CHECK(emulator.count_requests("POST", "action=START") == 1);
}

TEST_CASE("an instance already STARTING is only polled, never sent START") {
  ExampleEmulator emulator(instances(), 300ms);
  // The emulator keeps a loaded STARTING state until told otherwise: end it after a while.
  std::thread finisher([&] {
    std::this_thread::sleep_for(300ms);
    emulator.set_state("instances", kStarting, "RUNNING");
  });
  const auto result = invoke(start_call(emulator, body_for(kStarting)));
  finisher.join();
  CHECK(result.status == 200);
  CHECK(result.body == launched_body(kStarting));
  CHECK(emulator.count_requests("POST", "action=") == 0);
}

TEST_CASE("a failing START action fails the call: 502 from the FDK") {
  ExampleEmulator emulator(instances(), 300ms);
  emulator.add_fault({{"method", "POST"}, {"path", "/20160918/instances/"}, {"status", 400}, {"code", "InvalidParameter"}});
  const auto result = invoke(start_call(emulator, body_for(kStopped)));
  CHECK(result.agent_status == 502);
  CHECK(result.body.find("InvalidParameter") != std::string::npos);
  CHECK(emulator.state_of(kStopped) == "STOPPED");
}

TEST_CASE("an unknown instance fails the call: 502 naming OCI's error") {
  ExampleEmulator emulator(instances(), 300ms);
  const auto result = invoke(start_call(emulator, body_for(kUnknown)));
  CHECK(result.agent_status == 502);
  CHECK(result.body.find("NotAuthorizedOrNotFound") != std::string::npos);
}

TEST_CASE("429 and 503 answers are retried as the OCI SDKs do") {
  ExampleEmulator emulator(instances(), 300ms);
  emulator.add_fault({{"method", "POST"}, {"path", "/20160918/instances/"}, {"status", 429}, {"count", 2}});
  emulator.add_fault({{"method", "GET"}, {"path", "/20160918/instances/"}, {"status", 503}, {"count", 3}});
  const auto result = invoke(start_call(emulator, body_for(kStopped)));
  CHECK(result.status == 200);
  CHECK(result.body == launched_body(kStopped));
  CHECK(emulator.count_requests("POST", "action=START") == 3);
}

TEST_CASE("POLL_INTERVAL_SECONDS is honoured and a bad value is a 500 naming it") {
  ExampleEmulator emulator(instances(), 600ms);
  const auto result = invoke(start_call(emulator, body_for(kStopped)).with_config("POLL_INTERVAL_SECONDS", "0.25"));
  CHECK(result.status == 200);
  // One GET before START, then one every 250 ms for ~600 ms: 3 to 5 in all, never dozens.
  const int polls = emulator.count_requests("GET", kStopped);
  CHECK(polls >= 3);
  CHECK(polls <= 6);
  for (const char* bad : {"soon", "0", "-1", "10s", "99999"}) {
    CAPTURE(bad);
    const auto refused = invoke(start_call(emulator, body_for(kRunning)).with_config("POLL_INTERVAL_SECONDS", bad));
    CHECK(refused.status == 500);
    CHECK(refused.json()["message"] == std::string("Function config POLL_INTERVAL_SECONDS must be a number of seconds between 0 and 3600, not '") + bad + "'.");
  }
}

TEST_CASE("without OCI_RESOURCE_PRINCIPAL_VERSION 2.2 the instance principal is used") {
  ExampleEmulator emulator(instances(), 300ms);
  fdk::testing::Call call;
  call.with_body(body_for(kStopped)).with_config("POLL_INTERVAL_SECONDS", "0.05");
  for (const auto& [name, value] : emulator.instance_principal_config()) call.with_config(name, value);
  const auto result = invoke(call);
  CHECK(result.status == 200);
  CHECK(result.body == launched_body(kStopped));
  CHECK(emulator.count_requests("POST", "/v1/x509") == 1);
  CHECK(emulator.count_requests("GET", "/opc/v2/identity/cert.pem") >= 1);
}
