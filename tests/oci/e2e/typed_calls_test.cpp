// Compute, Container Instances and Secrets calls over HTTPS with signature checking, and the
// waiter following the emulator's lifecycle transitions.
#include <doctest/doctest.h>

#include "emulator_fixture.hpp"
#include "fdk/oci/compute.hpp"
#include "fdk/oci/container_instances.hpp"
#include "fdk/oci/secrets.hpp"
#include "fdk/oci/waiter.hpp"

using namespace oci_e2e;
using namespace std::chrono_literals;

namespace {

fdk::oci::WaitOptions quick_polls() {
  fdk::oci::WaitOptions options;
  options.interval = 40ms;
  options.max_wait = 5s;
  return options;
}

}  // namespace

TEST_SUITE("oci") {
  TEST_CASE("get instance over HTTPS, signed with the resource principal") {
    EmulatorFixture emulator;
    auto client = emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8));
    fdk::oci::ComputeClient compute(client, emulator.base_url() + "/20160918");
    const auto instance = compute.get_instance(kRunningInstance);
    CHECK(instance.id == kRunningInstance);
    CHECK(instance.display_name == "web");
    CHECK(instance.compartment_id == "ocid1.compartment.oc1..c");
    CHECK(instance.lifecycle_state == "RUNNING");
    const auto log = emulator.requests();
    REQUIRE(log.size() == 1);
    CHECK(log[0]["status"] == 200);
    CHECK(log[0]["key_kind"] == "session_token");
    CHECK(log[0]["opc_request_id"].get<std::string>().size() == 32);
  }

  TEST_CASE("calls take the function's Context: its deadline bounds them") {
    EmulatorFixture emulator;
    fdk::oci::ComputeClient compute(emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8)),
                                    emulator.base_url() + "/20160918");
    const fdk::Context context;  // a fresh context has a deadline 30 s ahead
    CHECK(compute.get_instance(kRunningInstance, context).lifecycle_state == "RUNNING");
    fdk::oci::ServiceRequest request;
    request.endpoint = compute.endpoint();
    request.path = std::string("/instances/") + kStoppedInstance;
    CHECK(emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8))->call(request, context).json()["id"] ==
          kStoppedInstance);
  }

  TEST_CASE("the endpoint comes from the client's config setting OCI_COMPUTE_ENDPOINT when set") {
    EmulatorFixture emulator;
    const fdk::Config config = oci_test::env({{"OCI_COMPUTE_ENDPOINT", emulator.base_url()}});
    fdk::oci::ComputeClient compute(emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8), config));
    CHECK(compute.endpoint() == emulator.base_url() + "/20160918");
    CHECK(compute.get_instance(kStoppedInstance).lifecycle_state == "STOPPED");
  }

  TEST_CASE("START moves a stopped instance through STARTING to RUNNING; the waiter sees it") {
    EmulatorFixture emulator;
    fdk::oci::ComputeClient compute(emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8)),
                                    emulator.base_url() + "/20160918");
    const auto after_action = compute.instance_action(kStoppedInstance, fdk::oci::InstanceAction::start);
    CHECK(after_action.lifecycle_state == "STARTING");
    const auto result = fdk::oci::wait_for_instance(compute, kStoppedInstance, "RUNNING", quick_polls());
    CHECK(result.outcome == fdk::oci::WaitOutcome::reached);
    CHECK(result.last.lifecycle_state == "RUNNING");
    CHECK(result.polls >= 2);
    const auto log = emulator.requests();
    CHECK(log[0]["method"] == "POST");
    CHECK(log[0]["target"] == std::string("/20160918/instances/") + kStoppedInstance + "?action=START");
    CHECK(log[0]["opc_retry_token"].get<std::string>().size() == 32);

    compute.instance_action(kStoppedInstance, fdk::oci::InstanceAction::softstop);
    CHECK(fdk::oci::wait_for_instance(compute, kStoppedInstance, "STOPPED", quick_polls()).outcome ==
          fdk::oci::WaitOutcome::reached);
  }

  TEST_CASE("the waiter fails fast on a terminated instance, and actions on it are 409 IncorrectState") {
    EmulatorFixture emulator;
    auto client = emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8));
    fdk::oci::ComputeClient compute(client, emulator.base_url() + "/20160918");
    const auto result = fdk::oci::wait_for_instance(compute, kTerminatedInstance, "RUNNING", quick_polls());
    CHECK(result.outcome == fdk::oci::WaitOutcome::failed);
    CHECK(result.polls == 1);
    // IncorrectState is retryable (the state may change), so all 8 attempts are made.
    try {
      compute.instance_action(kTerminatedInstance, fdk::oci::InstanceAction::start);
      FAIL("expected a ServiceError");
    } catch (const fdk::oci::ServiceError& error) {
      CHECK(error.status() == 409);
      CHECK(error.code() == "IncorrectState");
    }
    CHECK(emulator.requests().size() == 1 + 8);
  }

  TEST_CASE("a missing instance is a ServiceError with status, code and request id") {
    EmulatorFixture emulator;
    fdk::oci::ComputeClient compute(emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8)),
                                    emulator.base_url() + "/20160918");
    try {
      (void)compute.get_instance("ocid1.instance.oc1..nope");
      FAIL("expected a ServiceError");
    } catch (const fdk::oci::ServiceError& error) {
      CHECK(error.status() == 404);
      CHECK(error.code() == "NotAuthorizedOrNotFound");
      CHECK(error.opc_request_id().size() == 32);
    }
    CHECK(emulator.requests().size() == 1);  // 404 is not retried
  }

  TEST_CASE("container instance start and stop return work requests; the waiter follows UPDATING") {
    EmulatorFixture emulator;
    fdk::oci::ContainerInstancesClient containers(emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8)),
                                                  emulator.base_url() + "/20210415");
    CHECK(containers.get(kInactiveContainer).lifecycle_state == "INACTIVE");
    const auto receipt = containers.start(kInactiveContainer);
    CHECK_FALSE(receipt.work_request_id.empty());
    CHECK(receipt.opc_request_id.size() == 32);
    CHECK(containers.get(kInactiveContainer).lifecycle_state == "UPDATING");
    auto result = fdk::oci::wait_for_container_instance(containers, kInactiveContainer, "ACTIVE", quick_polls());
    CHECK(result.outcome == fdk::oci::WaitOutcome::reached);
    CHECK_THROWS_AS(containers.start(kInactiveContainer), fdk::oci::ServiceError);  // already ACTIVE: 409 Conflict
    containers.stop(kInactiveContainer);
    result = fdk::oci::wait_for_container_instance(containers, kInactiveContainer, "INACTIVE", quick_polls());
    CHECK(result.outcome == fdk::oci::WaitOutcome::reached);
  }

  TEST_CASE("secret bundles: current version by default, older ones by number, name or stage") {
    EmulatorFixture emulator;
    fdk::oci::SecretsClient secrets(emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8)),
                                    emulator.base_url() + "/20190301");
    const auto current = secrets.get_secret_bundle(kSecret);
    CHECK(current.content == kInactiveContainer);
    CHECK(current.version_number == 2);
    CHECK(secrets.get_secret_bundle(kSecret, {std::nullopt, 1, std::nullopt}).content == "old value");
    CHECK(secrets.get_secret_bundle(kSecret, {std::nullopt, std::nullopt, "first"}).content == "old value");
    CHECK(secrets.get_secret_bundle(kSecret, {"PREVIOUS", std::nullopt, std::nullopt}).version_number == 1);
    CHECK_THROWS_AS(secrets.get_secret_bundle(kSecret, {"DEPRECATED", std::nullopt, std::nullopt}), fdk::oci::ServiceError);
    CHECK(emulator.requests()[1]["target"] == std::string("/20190301/secretbundles/") + kSecret + "?versionNumber=1");
  }

  TEST_CASE("a request signed with an untrusted key is rejected 401 NotAuthenticated") {
    EmulatorFixture emulator;
    fdk::oci::SecretsClient secrets(emulator.client(emulator.resource_principal(oci_test::other_test_key().pkcs8)),
                                    emulator.base_url() + "/20190301");
    try {
      (void)secrets.get_secret_bundle(kSecret);
      FAIL("expected a ServiceError");
    } catch (const fdk::oci::ServiceError& error) {
      CHECK(error.status() == 401);
      CHECK(error.code() == "NotAuthenticated");
      CHECK(error.message().find("does not verify") != std::string::npos);
    }
  }
}
