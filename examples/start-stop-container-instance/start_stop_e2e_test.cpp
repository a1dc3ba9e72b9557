// The real start-stop-container-instance binary over its Unix socket, against the OCI emulator
// over HTTPS with signature checks: faults while polling, token expiry, a short deadline.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <algorithm>
#include <thread>

#include "testing/example_emulator.hpp"
#include "testing/function_under_test.hpp"

namespace {

using namespace std::chrono_literals;
using example_test::ExampleEmulator;
using example_test::FunctionUnderTest;
using example_test::gateway_status;

constexpr const char* kContainer = "ocid1.computecontainerinstance.oc1.iad.demo";
constexpr const char* kSecret = "ocid1.vaultsecret.oc1.iad.demo";

nlohmann::json inactive_container() {
  return {{"container_instances", {{{"id", kContainer}, {"lifecycleState", "INACTIVE"}}}},
          {"secrets", {{{"id", kSecret}, {"content", kContainer}}}}};
}

std::map<std::string, std::string> environment(const ExampleEmulator& emulator) {
  auto values = emulator.function_environment();
  values["SECRET_OCID"] = kSecret;
  values["POLL_INTERVAL_SECONDS"] = "0.2";
  values["MAX_WAIT_SECONDS"] = "15";
  return values;
}

int count_status(const nlohmann::json& log, int status) {
  return static_cast<int>(std::count_if(log.begin(), log.end(), [&](const auto& e) { return e["status"] == status; }));
}

}  // namespace

TEST_CASE("start then stop over the socket, riding out 429 and 503 while polling") {
  ExampleEmulator emulator(inactive_container(), 1200ms);
  FunctionUnderTest function(START_STOP_BINARY, environment(emulator));
  std::thread later([&] {
    std::this_thread::sleep_for(800ms);
    emulator.add_fault({{"method", "GET"}, {"path", "/20210415/containerInstances/"}, {"status", 429}, {"count", 1}});
    emulator.add_fault({{"method", "GET"}, {"path", "/20210415/containerInstances/"}, {"status", 503}, {"count", 1}});
  });
  const auto started = function.call(R"({"action": "start"})", 20s);
  later.join();
  CHECK(started.status == 200);
  CHECK(gateway_status(started) == 200);
  CHECK(started.headers.get_or("Content-Type", "") == "application/json");
  CHECK(started.body == R"({"message": "Container instance has been successfully started."})");
  CHECK(emulator.state_of(kContainer) == "ACTIVE");
  const auto log = emulator.requests();
  CHECK(count_status(log, 429) == 1);
  CHECK(count_status(log, 503) == 1);

  const auto stopped = function.call("", 20s);  // no body: toggle
  CHECK(gateway_status(stopped) == 200);
  CHECK(stopped.body == R"({"message": "Container instance has been successfully stopped."})");
  CHECK(emulator.state_of(kContainer) == "INACTIVE");
  CHECK(function.stderr_text().find("UPDATING") != std::string::npos);
}

TEST_CASE("a deadline shorter than the poll window answers the timed-out message before the deadline") {
  ExampleEmulator emulator(inactive_container(), 60000ms);
  FunctionUnderTest function(START_STOP_BINARY, environment(emulator));
  const auto started = std::chrono::steady_clock::now();
  const auto response = function.call(R"({"action": "start"})", 3000ms);
  CHECK(std::chrono::steady_clock::now() - started < 3000ms);
  CHECK(response.status == 200);
  CHECK(gateway_status(response) == 200);
  CHECK(response.body.rfind(R"({"message": "Instance did not reach ACTIVE within )", 0) == 0);
  CHECK(response.body.find(R"(s. Last state: UPDATING"})") != std::string::npos);
}

TEST_CASE("the token file rewritten while polling is re-read after the old token expires") {
  ExampleEmulator emulator(inactive_container(), 5000ms);
  emulator.write_token(example_test::session_token(std::chrono::system_clock::now() + 2s));
  FunctionUnderTest function(START_STOP_BINARY, environment(emulator));
  std::thread rotator([&] {
    std::this_thread::sleep_for(700ms);
    emulator.write_token(example_test::session_token(std::chrono::system_clock::now() + 1h));
  });
  const auto response = function.call(R"({"action": "start"})", 20s);
  rotator.join();
  CHECK(gateway_status(response) == 200);
  CHECK(response.body == R"({"message": "Container instance has been successfully started."})");
  CHECK(count_status(emulator.requests(), 401) == 0);
  CHECK(emulator.count_requests("GET", "/containerInstances/") >= 12);
}

TEST_CASE("SECRET_OCID missing: 500 for the gateway caller, 200 for the agent, no OCI call") {
  ExampleEmulator emulator(inactive_container(), 300ms);
  auto values = environment(emulator);
  values.erase("SECRET_OCID");
  unsetenv("SECRET_OCID");
  FunctionUnderTest function(START_STOP_BINARY, values);
  const auto response = function.call("", 10s);
  CHECK(response.status == 200);
  CHECK(gateway_status(response) == 500);
  CHECK(response.body.find("SECRET_OCID is not set") != std::string::npos);
  CHECK(emulator.requests().empty());
}
