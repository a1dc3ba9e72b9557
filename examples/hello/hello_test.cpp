#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <fdk/testing.hpp>
#include <nlohmann/json.hpp>

#include "hello.hpp"

TEST_CASE("hello greets the name in the body") {
  auto result = fdk::testing::invoke(hello, fdk::testing::Call{}.with_body(R"({"name":"Ada"})"));
  CHECK(result.status == 200);
  CHECK(result.content_type == "application/json");
  CHECK(result.json()["message"] == "Hello Ada");
}

TEST_CASE("hello greets the World without a usable name") {
  for (const char* body : {"", "not json", "[1,2]", R"({"name":42})"}) {
    CAPTURE(body);
    CHECK(fdk::testing::invoke(hello, fdk::testing::Call{}.with_body(body)).json()["message"] == "Hello World");
  }
}

TEST_CASE("hello behind a Lambda function URL") {
  auto result = fdk::testing::invoke(hello, fdk::testing::Call::lambda_http_api("POST", "/")
                                                .with_content_type("application/json")
                                                .with_body(R"({"name":"Ada"})"));
  CHECK(result.status == 200);
  CHECK(result.json()["message"] == "Hello Ada");
}
