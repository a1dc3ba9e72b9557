// The public fake transport: canned answers by method and path, requests recorded, and the
// typed clients working through it without a network or credentials.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "fdk/oci/compute.hpp"
#include "fdk/oci/fake_transport.hpp"
#include "fdk/oci/waiter.hpp"

using fdk::oci::TransportResponse;
using fdk::oci::testing::FakeAuth;
using fdk::oci::testing::FakeTransport;

namespace {

std::shared_ptr<fdk::oci::Client> client_over(const FakeTransport& fake) {
  fdk::oci::ClientOptions options;
  options.transport = fake.transport();
  options.config = fdk::Config();
  options.timing.sleep = [](std::chrono::milliseconds) {};
  return std::make_shared<fdk::oci::Client>(std::make_shared<FakeAuth>(), options);
}

constexpr const char* kInstancePath = "/20160918/instances/ocid1.instance.oc1..a";

}  // namespace

TEST_SUITE("oci") {
  TEST_CASE("typed calls answered by canned routes; every request is recorded, signed and complete") {
    FakeTransport fake;
    fake.on("GET", kInstancePath, {200, R"({"id":"ocid1.instance.oc1..a","lifecycleState":"STOPPED"})", {}});
    fake.on("POST", kInstancePath, {200, R"({"id":"ocid1.instance.oc1..a","lifecycleState":"STARTING"})", {}});
    fdk::oci::ComputeClient compute(client_over(fake));
    CHECK(compute.endpoint() == "https://iaas.us-ashburn-1.oraclecloud.com/20160918");
    CHECK(compute.get_instance("ocid1.instance.oc1..a").lifecycle_state == "STOPPED");
    CHECK(compute.instance_action("ocid1.instance.oc1..a", fdk::oci::InstanceAction::start).lifecycle_state ==
          "STARTING");
    const auto requests = fake.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].method == "GET");
    CHECK(requests[1].url == std::string("https://iaas.us-ashburn-1.oraclecloud.com") + kInstancePath + "?action=START");
    CHECK(requests[1].headers.get_or("authorization", "") == "fake");
    CHECK_FALSE(requests[1].headers.get_or("opc-retry-token", "").empty());
  }

  // Found by the oci_response fuzzer: nlohmann's value("code", "") threw json::type_error for a
  // code that is not a string, so the caller got a JSON exception instead of the service's error.
  TEST_CASE("an error answer whose code or message is not a string is still a ServiceError") {
    FakeTransport fake;
    fake.on("GET", kInstancePath, {500, R"({"code":5,"message":["not","text"]})", {}});
    fake.on("GET", "/20160918/instances/ocid1.instance.oc1..b", {404, R"({"code":"NotFound","message":null})", {}});
    auto client = client_over(fake);
    fdk::oci::ComputeClient compute(client);
    try {
      (void)compute.get_instance("ocid1.instance.oc1..a");
      FAIL("expected a ServiceError");
    } catch (const fdk::oci::ServiceError& error) {
      CHECK(error.status() == 500);
      CHECK(error.code().empty());
    }
    CHECK_THROWS_WITH_AS((void)compute.get_instance("ocid1.instance.oc1..b"), "OCI service error 404 NotFound",
                         fdk::oci::ServiceError);
  }

  TEST_CASE("an unrouted call is a 404 ServiceError naming the method and path") {
    FakeTransport fake;
    fdk::oci::ComputeClient compute(client_over(fake));
    try {
      (void)compute.get_instance("ocid1.instance.oc1..missing");
      FAIL("expected a ServiceError");
    } catch (const fdk::oci::ServiceError& error) {
      CHECK(error.status() == 404);
      CHECK(error.code() == "NotAuthorizedOrNotFound");
      CHECK(error.message() == "FakeTransport has no route for GET /20160918/instances/ocid1.instance.oc1..missing");
    }
  }

  TEST_CASE("a sequence of answers drives polling; errors and headers come through as the service's") {
    FakeTransport fake;
    fake.on_sequence("GET", kInstancePath,
                     {{503, R"({"code":"ServiceUnavailable","message":"busy"})", {}},
                      {200, R"({"lifecycleState":"STARTING"})", {}},
                      {200, R"({"lifecycleState":"RUNNING"})", {}}});
    fdk::oci::ComputeClient compute(client_over(fake));
    fdk::oci::WaitOptions options;
    options.interval = std::chrono::milliseconds(1);
    options.timing.sleep = [](std::chrono::milliseconds) {};
    const auto result = fdk::oci::wait_for_instance(compute, "ocid1.instance.oc1..a", "RUNNING", options);
    CHECK(result.outcome == fdk::oci::WaitOutcome::reached);
    CHECK(fake.requests().size() == 3);  // the 503 was retried by the client

    TransportResponse conflict{409, R"({"code":"Conflict","message":"no"})", {}};
    conflict.headers.set("opc-request-id", "req-1");
    fake.on("POST", kInstancePath, conflict);
    try {
      (void)compute.instance_action("ocid1.instance.oc1..a", fdk::oci::InstanceAction::stop);
      FAIL("expected a ServiceError");
    } catch (const fdk::oci::ServiceError& error) {
      CHECK(error.status() == 409);
      CHECK(error.opc_request_id() == "req-1");
    }
  }

  TEST_CASE("copies of the transport share routes and the record across threads") {
    FakeTransport fake;
    const auto transport = fake.transport();
    fake.on("GET", "/x", {200, "late route", {}});
    std::atomic<int> answered{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([transport, &answered] {
        for (int j = 0; j < 25; ++j) {
          if (transport({"GET", "http://h/x?j=1", {}, ""}).body == "late route") ++answered;
        }
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(answered == 100);
    CHECK(fake.requests().size() == 100);
  }
}
