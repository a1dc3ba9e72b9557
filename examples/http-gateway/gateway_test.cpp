#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <fdk/testing.hpp>
#include <nlohmann/json.hpp>

#include "gateway.hpp"

using fdk::testing::Call;

TEST_CASE("GET describes the gateway request and sets two cookies") {
  auto result = fdk::testing::invoke(gateway, Call{}
                                                  .with_gateway("GET", "https://gw/t/app/gw?tag=a&tag=b%20c")
                                                  .with_gateway_header("Accept", "application/json")
                                                  .with_gateway_header("X-Multi", "1")
                                                  .with_gateway_header("X-Multi", "2"));
  CHECK(result.status == 200);
  auto body = result.json();
  CHECK(body["method"] == "GET");
  CHECK(body["path"] == "/t/app/gw");
  CHECK(body["query"]["tag"] == nlohmann::json::array({"a", "b c"}));
  CHECK(body["headers"]["X-Multi"].size() == 2);
  CHECK(result.headers.get_all("Set-Cookie").size() == 2);
}

TEST_CASE("POST answers 201 with a Location") {
  auto result = fdk::testing::invoke(
      gateway, Call{}.with_call_id("c7").with_gateway("POST", "https://gw/t/app/gw?name=box").with_body("12345"));
  CHECK(result.status == 201);
  CHECK(result.headers.get("Location") == "/t/app/gw/c7");
  CHECK(result.json()["received_bytes"] == 5);
}

TEST_CASE("other methods are 405 with Allow; plain invokes are 400") {
  auto result = fdk::testing::invoke(gateway, Call{}.with_gateway("DELETE", "https://gw/t/app/gw"));
  CHECK(result.status == 405);
  CHECK(result.headers.get("Allow") == "GET, HEAD, POST, PUT");
  CHECK(fdk::testing::invoke(gateway, Call{}).status == 400);
}
