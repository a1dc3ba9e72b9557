// The real start-compute binary over its Unix socket, against the OCI emulator over HTTPS with
// signature checks: injected 429/503 answers, token expiry and rotation, a short deadline.
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

constexpr const char* kStopped = "ocid1.instance.oc1.iad.stopped";

nlohmann::json one_stopped_instance() {
  return {{"instances", {{{"id", kStopped}, {"displayName", "batch"}, {"lifecycleState", "STOPPED"}}}}};
}

std::map<std::string, std::string> environment(const ExampleEmulator& emulator, const std::string& poll_seconds) {
  auto values = emulator.function_environment();
  values["POLL_INTERVAL_SECONDS"] = poll_seconds;
  return values;
}

const std::string kBody = std::string(R"({"instance_id": ")") + kStopped + R"("})";
const std::string kLaunched = std::string(R"({"message": "launch instance )") + kStopped + R"( is successfull"})";

int count_status(const nlohmann::json& log, int status) {
  return static_cast<int>(std::count_if(log.begin(), log.end(), [&](const auto& e) { return e["status"] == status; }));
}

}  // namespace

TEST_CASE("start over the socket, with 429 on START and 503 while polling, answers the original line") {
  ExampleEmulator emulator(one_stopped_instance(), 3000ms);
  emulator.add_fault({{"method", "POST"}, {"path", "/20160918/instances/"}, {"status", 429}, {"count", 1}});
  FunctionUnderTest function(START_COMPUTE_BINARY, environment(emulator, "0.2"));
  // The 503 hits a poll, once the START went through; the retry (1-2 s) ends before RUNNING.
  std::thread later([&] {
    while (emulator.state_of(kStopped) == "STOPPED") std::this_thread::sleep_for(20ms);
    std::this_thread::sleep_for(300ms);
    emulator.add_fault({{"method", "GET"}, {"path", "/20160918/instances/"}, {"status", 503}, {"count", 1}});
  });
  const auto response = function.call(kBody, 20s);
  later.join();
  CHECK(response.status == 200);
  CHECK(gateway_status(response) == 200);
  CHECK(response.headers.get_or("Content-Type", "") == "application/json");
  CHECK(response.body == kLaunched);
  CHECK(emulator.state_of(kStopped) == "RUNNING");
  const auto log = emulator.requests();
  CHECK(count_status(log, 429) == 1);
  CHECK(count_status(log, 503) == 1);
  CHECK(emulator.count_requests("POST", "action=START") == 2);
  INFO("function stderr: ", function.stderr_text());
  CHECK(function.stderr_text().find("STARTING") != std::string::npos);
}

TEST_CASE("a deadline shorter than the start gives 504 to the caller before the deadline") {
  ExampleEmulator emulator(one_stopped_instance(), 60000ms);
  FunctionUnderTest function(START_COMPUTE_BINARY, environment(emulator, "0.3"));
  const auto started = std::chrono::steady_clock::now();
  const auto response = function.call(kBody, 3000ms);
  CHECK(std::chrono::steady_clock::now() - started < 3000ms);
  CHECK(response.status == 200);
  CHECK(gateway_status(response) == 504);
  CHECK(response.body.find("was still STARTING after") != std::string::npos);
}

TEST_CASE("the token file rewritten while polling is re-read: no request fails after the old token expires") {
  ExampleEmulator emulator(one_stopped_instance(), 5000ms);
  emulator.write_token(example_test::session_token(std::chrono::system_clock::now() + 2s));
  FunctionUnderTest function(START_COMPUTE_BINARY, environment(emulator, "0.25"));
  std::thread rotator([&] {
    std::this_thread::sleep_for(700ms);
    emulator.write_token(example_test::session_token(std::chrono::system_clock::now() + 1h));
  });
  const auto response = function.call(kBody, 20s);
  rotator.join();
  CHECK(gateway_status(response) == 200);
  CHECK(response.body == kLaunched);
  const auto log = emulator.requests();
  CHECK(count_status(log, 401) == 0);
  // Polling went on well past the first token's expiry (2 s) on the rotated one.
  CHECK(emulator.count_requests("GET", kStopped) >= 12);
}

TEST_CASE("a 401 makes the function re-read its credentials and retry once") {
  ExampleEmulator emulator(one_stopped_instance(), 500ms);
  emulator.add_fault({{"method", "GET"}, {"path", "/20160918/instances/"}, {"status", 401}, {"count", 1}});
  FunctionUnderTest function(START_COMPUTE_BINARY, environment(emulator, "0.1"));
  const auto response = function.call(kBody, 20s);
  CHECK(gateway_status(response) == 200);
  CHECK(response.body == kLaunched);
  const auto log = emulator.requests();
  REQUIRE(log.size() >= 2);
  CHECK(log[0]["status"] == 401);
  CHECK(log[1]["status"] == 200);
  CHECK(log[1]["opc_request_id"] == log[0]["opc_request_id"]);
}

TEST_CASE("an expired token that is never renewed fails the call without revealing the token") {
  ExampleEmulator emulator(one_stopped_instance(), 500ms);
  const std::string expired = example_test::session_token(std::chrono::system_clock::now() - 1min);
  emulator.write_token(expired);
  FunctionUnderTest function(START_COMPUTE_BINARY, environment(emulator, "0.1"));
  const auto response = function.call(kBody, 20s);
  CHECK(response.status == 502);
  CHECK(response.body.find("expired") != std::string::npos);
  CHECK(response.body.find(expired.substr(0, 30)) == std::string::npos);
  CHECK(function.stderr_text().find(expired.substr(0, 30)) == std::string::npos);
  CHECK(emulator.state_of(kStopped) == "STOPPED");
}
