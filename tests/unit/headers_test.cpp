#include <doctest/doctest.h>

#include "fdk/headers.hpp"

TEST_CASE("header names compare without regard to case") {
  fdk::Headers h;
  h.add("Content-Type", "text/plain");
  CHECK(h.get("content-type") == "text/plain");
  CHECK(h.get("CONTENT-TYPE") == "text/plain");
  CHECK(h.contains("Content-type"));
  CHECK_FALSE(h.get("Content-Length").has_value());
  CHECK(h.get_or("Content-Length", "none") == "none");
}

TEST_CASE("repeated headers keep every value in order") {
  fdk::Headers h;
  h.add("Set-Cookie", "a=1").add("X-Other", "x").add("set-cookie", "b=2");
  CHECK(h.get_all("SET-COOKIE") == std::vector<std::string>{"a=1", "b=2"});
  CHECK(h.get("Set-Cookie") == "a=1");
  CHECK(h.size() == 3);
}

TEST_CASE("find gives the first value in place, or nullptr") {
  fdk::Headers h;
  h.reserve(4);
  h.add("Set-Cookie", "a=1").add("set-cookie", "b=2");
  const std::string* first = h.find("SET-COOKIE");
  REQUIRE(first != nullptr);
  CHECK(*first == "a=1");
  CHECK(first == &h.entries()[0].second);
  CHECK(h.find("Cookie") == nullptr);
}

TEST_CASE("set replaces every value and remove deletes them") {
  fdk::Headers h{{"A", "1"}, {"a", "2"}, {"B", "3"}};
  h.set("A", "9");
  CHECK(h.get_all("a") == std::vector<std::string>{"9"});
  CHECK(h.remove("b") == 1);
  CHECK(h.size() == 1);
}

TEST_CASE("iequals handles non-letters and lengths") {
  CHECK(fdk::iequals("Fn-Http-H-X", "fn-http-h-x"));
  CHECK_FALSE(fdk::iequals("abc", "abcd"));
  CHECK_FALSE(fdk::iequals("a[", "A{"));  // '[' and '{' differ by the case bit but are not letters
}
