// Canned routes: the emulator answers OCI calls it does not implement from a routes list,
// behind the same signature checks as the calls it implements.
#include <doctest/doctest.h>

#include "emulator_fixture.hpp"
#include "fdk/oci/client.hpp"

using namespace oci_e2e;

TEST_SUITE("oci") {
  TEST_CASE("a canned route answers a signed call with its status, headers and body") {
    EmulatorFixture emulator;
    emulator.emulator().load(nlohmann::json::parse(R"({"routes": [
        {"method": "GET", "path": "/n/ns/b/bucket/o", "body": {"objects": [{"name": "a.txt"}]}},
        {"method": "PUT", "path": "/n/ns/b/bucket/o/a.txt", "status": 200, "headers": {"etag": "e1"}},
        {"method": "DELETE", "path": "/n/ns/b/bucket/o/gone", "status": 409,
         "body": {"code": "Conflict", "message": "object is locked"}}]})"));
    auto client = emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8));
    fdk::oci::ServiceRequest list;
    list.endpoint = emulator.base_url();
    list.path = "/n/ns/b/bucket/o";
    list.query = {{"prefix", "a"}};
    CHECK(client->call(list).json()["objects"][0]["name"] == "a.txt");

    fdk::oci::ServiceRequest put = list;
    put.method = "PUT";
    put.path = "/n/ns/b/bucket/o/a.txt";
    put.query.clear();
    put.body = "hello";
    CHECK(client->call(put).headers.get_or("etag", "") == "e1");

    fdk::oci::ServiceRequest remove = put;
    remove.method = "DELETE";
    remove.path = "/n/ns/b/bucket/o/gone";
    remove.body.clear();
    CHECK_THROWS_WITH_AS(client->call(remove), doctest::Contains("object is locked"), fdk::oci::ServiceError);

    CHECK(emulator.requests().back()["note"] == "canned route");
  }

  TEST_CASE("without a route the answer says how to add one; routes still need a valid signature") {
    EmulatorFixture emulator;
    emulator.emulator().load({{"routes", {{{"path", "/n/ns/b/bucket/o"}, {"body", "[]"}}}}});
    auto client = emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8));
    fdk::oci::ServiceRequest request;
    request.endpoint = emulator.base_url();
    request.path = "/n/ns/b/other/o";
    CHECK_THROWS_WITH_AS(client->call(request), doctest::Contains("--routes FILE.json"), fdk::oci::ServiceError);
    CHECK(emulator.control("GET", "/n/ns/b/bucket/o") == 401);  // unsigned
  }

  TEST_CASE("malformed routes are refused naming the entry") {
    EmulatorFixture emulator;
    CHECK_THROWS_WITH_AS(emulator.emulator().load({{"routes", {{{"method", "GET"}}}}}), doctest::Contains("'path'"),
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(emulator.emulator().load({{"routes", {{{"path", "/x"}, {"status", 99}}}}}),
                         doctest::Contains("'status'"), std::invalid_argument);
    CHECK_THROWS_AS(emulator.emulator().load({{"routes", {{"path", "/x"}}}}), std::invalid_argument);
  }
}
