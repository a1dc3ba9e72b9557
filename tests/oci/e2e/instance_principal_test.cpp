// Instance principal end to end: the real provider reads the emulator's metadata service over
// fdk-oci's transport, federates at /v1/x509 for a session token, then signs Compute calls.
#include <doctest/doctest.h>

#include "emulator_fixture.hpp"
#include "fdk/oci/compute.hpp"
#include "fdk/oci/http_transport.hpp"
#include "fdk/oci/instance_principal.hpp"

using namespace oci_e2e;

namespace {

fdk::oci::HttpTransport transport_trusting_test_ca() {
  fdk::oci::TransportOptions options;
  options.extra_ca_file = OCI_TEST_CA;
  return fdk::oci::make_http_transport(options);
}

std::shared_ptr<fdk::oci::InstancePrincipalProvider> instance_principal(EmulatorFixture& emulator) {
  return std::make_shared<fdk::oci::InstancePrincipalProvider>(
      oci_test::env({{"OCI_METADATA_BASE_URL", emulator.base_url() + "/opc/v2/"}, {"OCI_AUTH_ENDPOINT", emulator.base_url()}}),
      transport_trusting_test_ca());
}

}  // namespace

TEST_SUITE("oci") {
  TEST_CASE("instance principal: metadata, federation, then signed calls with the session key") {
    EmulatorFixture emulator;
    auto provider = instance_principal(emulator);
    CHECK(provider->region() == "eu-frankfurt-1");
    fdk::oci::ComputeClient compute(emulator.client(provider), emulator.base_url() + "/20160918");
    CHECK(compute.get_instance(kRunningInstance).lifecycle_state == "RUNNING");
    CHECK(provider->tenancy_id() == "ocid1.tenancy.oc1..emulator");
    const auto log = emulator.requests();
    REQUIRE(!log.empty());
    CHECK(log.back()["status"] == 200);
    CHECK(log.back()["key_kind"] == "session_token");
    bool federated = false;
    for (const auto& entry : log) federated = federated || (entry["target"] == "/v1/x509" && entry["status"] == 200);
    CHECK(federated);
  }

  TEST_CASE("the metadata service insists on 'Authorization: Bearer Oracle'") {
    EmulatorFixture emulator;
    const auto transport = transport_trusting_test_ca();
    CHECK(transport({"GET", emulator.base_url() + "/opc/v2/instance/region", {}, ""}).status == 401);
    const auto answer = transport({"GET", emulator.base_url() + "/opc/v2/instance/region", {{"Authorization", "Bearer Oracle"}}, ""});
    CHECK(answer.status == 200);
    CHECK(answer.body == "eu-frankfurt-1");
  }

  TEST_CASE("federation refuses a request not signed by the instance certificate's key") {
    EmulatorFixture emulator;
    auto client = emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8));
    fdk::oci::ServiceRequest request;
    request.method = "POST";
    request.endpoint = emulator.base_url();
    request.path = "/v1/x509";
    request.body = R"({"publicKey": "AAAA"})";
    try {
      client->call(request);
      FAIL("expected a ServiceError");
    } catch (const fdk::oci::ServiceError& error) {
      CHECK(error.status() == 401);
      CHECK(error.message().find("instance certificate") != std::string::npos);
    }
  }
}
