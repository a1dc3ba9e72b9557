#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <fdk/testing.hpp>

#include "order.hpp"

namespace {
fdk::testing::Result send(const std::string& body) {
  return fdk::testing::invoke(fdk::json_handler<Order>(quote), fdk::testing::Call{}.with_body(body));
}
}  // namespace

TEST_CASE("a valid order is priced") {
  auto result = send(R"({"customer":"Ada","lines":[{"item":"tea","quantity":2,"unit_price":1.5},
                                                   {"item":"cake","quantity":1,"unit_price":3}]})");
  CHECK(result.status == 200);
  CHECK(result.json() == nlohmann::json{{"customer", "Ada"}, {"items", 3}, {"total", 6.0}});
}

TEST_CASE("bodies that are not orders are 400; orders that make no sense are 422") {
  CHECK(send("").status == 400);
  CHECK(send("{").status == 400);
  CHECK(send(R"({"customer":"Ada"})").status == 400);
  CHECK(send(R"({"customer":"Ada","lines":[]})").status == 422);
  auto zero = send(R"({"customer":"Ada","lines":[{"item":"tea","quantity":0,"unit_price":1}]})");
  CHECK(zero.status == 422);
  CHECK(zero.json()["message"] == "The quantity of 'tea' must be at least 1.");
}
