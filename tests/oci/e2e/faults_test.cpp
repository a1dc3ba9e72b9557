// Every injected fault end to end: what is retried, how long the client pauses, what stays the
// same across attempts, and what stops at the deadline.
#include <doctest/doctest.h>

#include "emulator_fixture.hpp"
#include "fdk/oci/compute.hpp"
#include "fdk/oci/container_instances.hpp"
#include "fdk/oci/signer.hpp"

using namespace oci_e2e;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

oci_emulator::Fault fault_json(const nlohmann::json& json) { return oci_emulator::Fault::from_json(json); }

// Every logged request carries the same opc-request-id (one call, several attempts).
void check_one_request_id(const nlohmann::json& log) {
  REQUIRE(!log.empty());
  for (const auto& entry : log) CHECK(entry["opc_request_id"] == log[0]["opc_request_id"]);
}

// Signs with a fixed session token and the trusted test key; refresh cannot help.
class FixedTokenAuth final : public fdk::oci::AuthProvider {
 public:
  explicit FixedTokenAuth(const std::string& token) : signer_("ST$" + token, oci_test::test_key().pkcs8) {}
  void sign(fdk::oci::SignableRequest& request) override { signer_.sign(request); }
  [[nodiscard]] std::string region() const override { return "us-ashburn-1"; }
  [[nodiscard]] std::string tenancy_id() const override { return "ocid1.tenancy.oc1..tenant"; }
  bool refresh() override {
    ++refreshes;
    return false;
  }
  [[nodiscard]] std::string_view kind() const noexcept override { return "resource_principal"; }
  int refreshes = 0;

 private:
  fdk::oci::RequestSigner signer_;
};

}  // namespace

TEST_SUITE("oci") {
  TEST_CASE("an expired session token is rejected 401; refresh is asked once and, failing, the 401 surfaces") {
    EmulatorFixture emulator;
    auto auth = std::make_shared<FixedTokenAuth>(oci_test::make_token(std::chrono::system_clock::now() - 1min));
    fdk::oci::ComputeClient compute(emulator.client(auth), emulator.base_url() + "/20160918");
    try {
      (void)compute.get_instance(kRunningInstance);
      FAIL("expected a ServiceError");
    } catch (const fdk::oci::ServiceError& error) {
      CHECK(error.status() == 401);
      CHECK(error.message().find("session token has expired") != std::string::npos);
    }
    CHECK(auth->refreshes == 1);
    CHECK(emulator.requests().size() == 1);

    auto fresh = std::make_shared<FixedTokenAuth>(oci_test::make_token(std::chrono::system_clock::now() + 1h));
    fdk::oci::ComputeClient fresh_compute(emulator.client(fresh), emulator.base_url() + "/20160918");
    CHECK(fresh_compute.get_instance(kRunningInstance).lifecycle_state == "RUNNING");
  }

  TEST_CASE("429, 500, 502, 503 and 504 are retried with backoff and the same opc-request-id") {
    for (int status : {429, 500, 502, 503, 504}) {
      CAPTURE(status);
      EmulatorFixture emulator;
      fdk::oci::ComputeClient compute(emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8)),
                                      emulator.base_url() + "/20160918");
      emulator.emulator().add_fault(fault_json({{"path", "/20160918/instances/"}, {"count", 2}, {"status", status}}));
      CHECK(compute.get_instance(kRunningInstance).lifecycle_state == "RUNNING");
      const auto log = emulator.requests();
      REQUIRE(log.size() == 3);
      CHECK(log[0]["status"] == status);
      CHECK(log[1]["status"] == status);
      CHECK(log[2]["status"] == 200);
      check_one_request_id(log);
      CHECK(emulator.sleeps == std::vector<milliseconds>{1000ms, 2000ms});
    }
  }

  TEST_CASE("501 is not retried") {
    EmulatorFixture emulator;
    fdk::oci::ComputeClient compute(emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8)),
                                    emulator.base_url() + "/20160918");
    emulator.emulator().add_fault(fault_json({{"count", 1}, {"status", 501}}));
    CHECK_THROWS_AS((void)compute.get_instance(kRunningInstance), fdk::oci::ServiceError);
    CHECK(emulator.requests().size() == 1);
    CHECK(emulator.sleeps.empty());
  }

  TEST_CASE("a persistent 503 stops after 8 attempts with the capped schedule, then surfaces the error") {
    EmulatorFixture emulator;
    fdk::oci::ComputeClient compute(emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8)),
                                    emulator.base_url() + "/20160918");
    emulator.emulator().add_fault(fault_json({{"count", 100}, {"status", 503}}));
    try {
      (void)compute.get_instance(kRunningInstance);
      FAIL("expected a ServiceError");
    } catch (const fdk::oci::ServiceError& error) {
      CHECK(error.status() == 503);
      CHECK(error.code() == "ServiceUnavailable");
    }
    CHECK(emulator.requests().size() == 8);
    CHECK(emulator.sleeps == std::vector<milliseconds>{1s, 2s, 4s, 8s, 16s, 30s, 30s});
  }

  TEST_CASE("a retried instance action keeps its opc-retry-token; a new call gets a new one") {
    EmulatorFixture emulator;
    fdk::oci::ComputeClient compute(emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8)),
                                    emulator.base_url() + "/20160918");
    emulator.emulator().add_fault(fault_json({{"method", "POST"}, {"count", 2}, {"status", 503}}));
    CHECK(compute.instance_action(kStoppedInstance, fdk::oci::InstanceAction::start).lifecycle_state == "STARTING");
    compute.instance_action(kStoppedInstance, fdk::oci::InstanceAction::start);
    const auto log = emulator.requests();
    REQUIRE(log.size() == 4);
    const auto token = log[0]["opc_retry_token"].get<std::string>();
    CHECK(token.size() == 32);
    CHECK(log[1]["opc_retry_token"] == token);
    CHECK(log[2]["opc_retry_token"] == token);
    CHECK(log[3]["opc_retry_token"] != token);
    CHECK(log[3]["opc_request_id"] != log[0]["opc_request_id"]);
  }

  TEST_CASE("a caller-chosen retry token is sent as given") {
    EmulatorFixture emulator;
    fdk::oci::ContainerInstancesClient containers(emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8)),
                                                  emulator.base_url() + "/20210415");
    fdk::oci::CallOptions options;
    options.retry_token = "start-ci-2026-11-21";
    containers.start(kInactiveContainer, options);
    CHECK(emulator.requests()[0]["opc_retry_token"] == "start-ci-2026-11-21");
  }

  TEST_CASE("a connection reset is retried as a network error") {
    EmulatorFixture emulator;
    fdk::oci::ComputeClient compute(emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8)),
                                    emulator.base_url() + "/20160918");
    emulator.emulator().add_fault(fault_json({{"count", 1}, {"reset", true}}));
    CHECK(compute.get_instance(kRunningInstance).id == kRunningInstance);
    const auto log = emulator.requests();
    REQUIRE(log.size() == 2);
    CHECK(log[0]["note"] == "fault: connection reset");
    check_one_request_id(log);
    CHECK(emulator.sleeps == std::vector<milliseconds>{1000ms});
  }

  TEST_CASE("a reply delayed past the deadline ends in DeadlineExceeded at the deadline, not after the delay") {
    EmulatorFixture emulator;
    fdk::oci::ComputeClient compute(emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8)),
                                    emulator.base_url() + "/20160918");
    emulator.emulator().add_fault(fault_json({{"count", 1}, {"delay_ms", 3000}}));
    fdk::oci::CallOptions options;
    options.deadline = std::chrono::system_clock::now() + 300ms;
    const auto start = std::chrono::steady_clock::now();
    CHECK_THROWS_WITH_AS((void)compute.get_instance(kRunningInstance, options), doctest::Contains("deadline passed"),
                         fdk::oci::DeadlineExceeded);
    const auto took = std::chrono::steady_clock::now() - start;
    CHECK(took >= 250ms);
    CHECK(took < 2000ms);
    CHECK(emulator.sleeps.empty());
  }

  TEST_CASE("a delay shorter than the deadline just slows the call down") {
    EmulatorFixture emulator;
    fdk::oci::ComputeClient compute(emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8)),
                                    emulator.base_url() + "/20160918");
    emulator.emulator().add_fault(fault_json({{"count", 1}, {"delay_ms", 200}}));
    fdk::oci::CallOptions options;
    options.deadline = std::chrono::system_clock::now() + 5s;
    const auto start = std::chrono::steady_clock::now();
    CHECK(compute.get_instance(kRunningInstance, options).lifecycle_state == "RUNNING");
    CHECK(std::chrono::steady_clock::now() - start >= 200ms);
  }

  TEST_CASE("no retry sleeps past the deadline: the last error surfaces instead") {
    EmulatorFixture emulator;
    fdk::oci::ComputeClient compute(emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8)),
                                    emulator.base_url() + "/20160918");
    emulator.emulator().add_fault(fault_json({{"count", 100}, {"status", 429}}));
    fdk::oci::CallOptions options;
    options.deadline = std::chrono::system_clock::now() + 1500ms;  // room for the 1 s pause only
    CHECK_THROWS_AS((void)compute.get_instance(kRunningInstance, options), fdk::oci::ServiceError);
    // The injected sleep does not advance the clock, so a second 2 s pause would still pass it.
    CHECK(emulator.sleeps == std::vector<milliseconds>{1000ms});
    CHECK(emulator.requests().size() == 2);
  }

  TEST_CASE("a deadline already passed sends nothing") {
    EmulatorFixture emulator;
    fdk::oci::ComputeClient compute(emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8)),
                                    emulator.base_url() + "/20160918");
    fdk::oci::CallOptions options;
    options.deadline = std::chrono::system_clock::now() - 1ms;
    CHECK_THROWS_AS((void)compute.get_instance(kRunningInstance, options), fdk::oci::DeadlineExceeded);
    CHECK(emulator.requests().empty());
  }

  TEST_CASE("401 makes the provider re-read its rotated key, then the call is retried once") {
    EmulatorFixture emulator;
    auto provider = emulator.resource_principal(oci_test::other_test_key().pkcs8);
    fdk::oci::ComputeClient compute(emulator.client(provider), emulator.base_url() + "/20160918");
    // Still the untrusted key after refresh: one retry, then the 401 surfaces.
    CHECK_THROWS_AS((void)compute.get_instance(kRunningInstance), fdk::oci::ServiceError);
    auto log = emulator.requests();
    REQUIRE(log.size() == 2);
    CHECK(log[0]["status"] == 401);
    CHECK(log[1]["status"] == 401);
    CHECK(emulator.control("DELETE", "/_emulator/requests") == 204);

    emulator.rotate_key_file(oci_test::test_key().pkcs8);
    CHECK(compute.get_instance(kRunningInstance).lifecycle_state == "RUNNING");
    log = emulator.requests();
    REQUIRE(log.size() == 2);
    CHECK(log[0]["status"] == 401);
    CHECK(log[1]["status"] == 200);
    check_one_request_id(log);
    CHECK(emulator.sleeps.empty());  // a refresh retry does not back off
  }

  TEST_CASE("faults can be injected over the control endpoint") {
    EmulatorFixture emulator;
    fdk::oci::ComputeClient compute(emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8)),
                                    emulator.base_url() + "/20160918");
    CHECK(emulator.control("POST", "/_emulator/faults", R"({"method": "GET", "count": 1, "status": 500})") == 201);
    CHECK(emulator.control("POST", "/_emulator/faults", R"({"status": 200})") == 400);
    CHECK(compute.get_instance(kRunningInstance).lifecycle_state == "RUNNING");
    const auto log = emulator.requests();
    REQUIRE(log.size() == 2);
    CHECK(log[0]["status"] == 500);
    CHECK(emulator.control("DELETE", "/_emulator/faults") == 204);
  }
}
