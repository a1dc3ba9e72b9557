#include <doctest/doctest.h>

#include "protocol/url.hpp"

using namespace fdk::protocol;

TEST_CASE("path and query come out of an absolute gateway URL") {
  std::string url = "http://127.0.0.1:8080/t/myapp/dumper?x=1&y=two%20words&y=3";
  CHECK(url_path(url) == "/t/myapp/dumper");
  CHECK(url_query(url) == "x=1&y=two%20words&y=3");
  auto q = parse_query(url_query(url));
  REQUIRE(q.size() == 3);
  CHECK(q[0] == std::pair<std::string, std::string>{"x", "1"});
  CHECK(q[1] == std::pair<std::string, std::string>{"y", "two words"});
  CHECK(q[2] == std::pair<std::string, std::string>{"y", "3"});
}

TEST_CASE("edge cases of URLs") {
  CHECK(url_path("http://host") == "/");
  CHECK(url_path("http://host?x=1") == "/");
  CHECK(url_path("/a/b?c#frag") == "/a/b");
  CHECK(url_path("") == "/");
  CHECK(url_query("/a#x?y").empty());
  CHECK(url_query("/a?b=1#frag") == "b=1");
}

TEST_CASE("query parsing decodes and tolerates junk") {
  auto q = parse_query("flag&&a=%41%2b+b&bad=%zz&trail=%4");
  REQUIRE(q.size() == 4);
  CHECK(q[0].first == "flag");
  CHECK(q[0].second.empty());
  CHECK(q[1].second == "A+ b");
  CHECK(q[2].second == "%zz");
  CHECK(q[3].second == "%4");
}

TEST_CASE("percent_encode keeps only unreserved bytes and round-trips through parse_query") {
  using fdk::http::percent_encode;
  CHECK(percent_encode("aZ09-._~") == "aZ09-._~");
  CHECK(percent_encode("a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9");
  CHECK(percent_encode(std::string("\0\xff", 2)) == "%00%FF");
  auto pairs = fdk::http::parse_query(percent_encode("x y+z") + "=" + percent_encode("1&2=3"));
  REQUIRE(pairs.size() == 1);
  CHECK(pairs[0].first == "x y+z");
  CHECK(pairs[0].second == "1&2=3");
}
