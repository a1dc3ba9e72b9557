// Typed results from service JSON, and the error types' messages.
#include <doctest/doctest.h>

#include "fdk/oci/call_errors.hpp"
#include "fdk/oci/compute.hpp"
#include "fdk/oci/container_instances.hpp"
#include "fdk/oci/secrets.hpp"

using nlohmann::json;

TEST_SUITE("oci") {
  TEST_CASE("Instance maps the fields functions use and keeps the rest") {
    const json body = {{"id", "ocid1.instance.oc1..a"}, {"displayName", "web"}, {"compartmentId", "ocid1.compartment.oc1..c"},
                       {"availabilityDomain", "AD-1"}, {"shape", "VM.Standard.E4.Flex"}, {"lifecycleState", "STOPPED"},
                       {"timeCreated", "2026-01-01T00:00:00Z"}, {"metadata", {{"k", "v"}}}};
    const auto instance = fdk::oci::Instance::from_json(body);
    CHECK(instance.id == "ocid1.instance.oc1..a");
    CHECK(instance.display_name == "web");
    CHECK(instance.compartment_id == "ocid1.compartment.oc1..c");
    CHECK(instance.availability_domain == "AD-1");
    CHECK(instance.shape == "VM.Standard.E4.Flex");
    CHECK(instance.lifecycle_state == "STOPPED");
    CHECK(instance.time_created == "2026-01-01T00:00:00Z");
    CHECK(instance.raw["metadata"]["k"] == "v");
    CHECK(fdk::oci::Instance::from_json(json{{"id", 5}}).id.empty());
  }

  TEST_CASE("from_json_text maps the same fields as from_json and refuses text that is not JSON") {
    const auto instance = fdk::oci::Instance::from_json_text(R"({"id":"ocid1.instance.oc1..t","lifecycleState":"RUNNING"})");
    CHECK(instance.id == "ocid1.instance.oc1..t");
    CHECK(instance.lifecycle_state == "RUNNING");
    CHECK(instance.raw["lifecycleState"] == "RUNNING");
    CHECK(fdk::oci::ContainerInstance::from_json_text(R"({"lifecycleDetails":"d"})").lifecycle_details == "d");
    CHECK_THROWS_WITH_AS(fdk::oci::Instance::from_json_text("{\"id\":"), doctest::Contains("not valid JSON"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(fdk::oci::SecretBundle::from_json_text("<html>"), doctest::Contains("not valid JSON"),
                         std::invalid_argument);
  }

  TEST_CASE("instance actions have the API's names") {
    using fdk::oci::InstanceAction;
    CHECK(std::string(to_string(InstanceAction::start)) == "START");
    CHECK(std::string(to_string(InstanceAction::stop)) == "STOP");
    CHECK(std::string(to_string(InstanceAction::softstop)) == "SOFTSTOP");
    CHECK(std::string(to_string(InstanceAction::reset)) == "RESET");
    CHECK(std::string(to_string(InstanceAction::softreset)) == "SOFTRESET");
  }

  TEST_CASE("ContainerInstance maps state and details") {
    const auto ci = fdk::oci::ContainerInstance::from_json(
        {{"id", "ocid1.computecontainerinstance.oc1..x"}, {"lifecycleState", "INACTIVE"}, {"lifecycleDetails", "stopped by user"}});
    CHECK(ci.id == "ocid1.computecontainerinstance.oc1..x");
    CHECK(ci.lifecycle_state == "INACTIVE");
    CHECK(ci.lifecycle_details == "stopped by user");
  }

  TEST_CASE("SecretBundle decodes base64 content, including binary bytes") {
    const json body = {{"secretId", "ocid1.vaultsecret.oc1..s"}, {"versionNumber", 3}, {"versionName", "v3"},
                       {"stages", {"CURRENT", "LATEST"}},
                       {"secretBundleContent", {{"contentType", "BASE64"}, {"content", "b2NpZDEuY29udGFpbmVyAP8="}}}};
    const auto bundle = fdk::oci::SecretBundle::from_json(body);
    CHECK(bundle.secret_id == "ocid1.vaultsecret.oc1..s");
    CHECK(bundle.version_number == 3);
    CHECK(bundle.version_name == "v3");
    CHECK(bundle.stages == std::vector<std::string>{"CURRENT", "LATEST"});
    CHECK(bundle.content == std::string("ocid1.container\0\xff", 17));
  }

  TEST_CASE("SecretBundle rejects missing, non-BASE64 and corrupt content") {
    CHECK_THROWS_WITH_AS(fdk::oci::SecretBundle::from_json({{"secretId", "s"}}), doctest::Contains("secretBundleContent"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(fdk::oci::SecretBundle::from_json({{"secretBundleContent", {{"contentType", "TEXT"}, {"content", "x"}}}}),
                         doctest::Contains("expected BASE64"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(fdk::oci::SecretBundle::from_json({{"secretBundleContent", {{"contentType", "BASE64"}, {"content", "@@@"}}}}),
                         doctest::Contains("not valid base64"), std::invalid_argument);
  }

  TEST_CASE("ServiceError carries status, code, message and request id") {
    const fdk::oci::ServiceError error(404, "NotAuthorizedOrNotFound", "not found", "req-1");
    CHECK(error.status() == 404);
    CHECK(error.code() == "NotAuthorizedOrNotFound");
    CHECK(error.message() == "not found");
    CHECK(error.opc_request_id() == "req-1");
    CHECK(std::string(error.what()) == "OCI service error 404 NotAuthorizedOrNotFound: not found (opc-request-id req-1)");
    CHECK_FALSE(fdk::oci::NetworkError("x", false).retryable());
  }
}
