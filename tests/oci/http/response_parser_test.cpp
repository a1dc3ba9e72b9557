// Reading HTTP/1.1 responses: Content-Length, chunked, EOF-delimited, split input, garbage.
#include <doctest/doctest.h>

#include "fdk/oci/call_errors.hpp"
#include "oci/http/response_parser.hpp"

using fdk::oci::http::ResponseParser;

TEST_SUITE("oci") {
  TEST_CASE("a Content-Length response fed byte by byte") {
    const std::string wire =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nopc-request-id: abc\r\nContent-Length: 7\r\n\r\n{\"a\":1}";
    ResponseParser parser;
    bool done = false;
    for (char c : wire) done = parser.feed(std::string_view(&c, 1));
    REQUIRE(done);
    CHECK(parser.response().status == 200);
    CHECK(parser.response().body == "{\"a\":1}");
    CHECK(parser.response().headers.get_or("OPC-REQUEST-ID", "") == "abc");
    CHECK(parser.response().keep_alive);
  }

  // Issue 11 item 9: the 100 Continue was returned as the service's answer.
  TEST_CASE("interim 1xx responses are skipped: the final response is the answer") {
    ResponseParser parser;
    CHECK_FALSE(parser.feed("HTTP/1.1 100 Continue\r\n\r\n"));
    CHECK_FALSE(parser.complete());
    CHECK(parser.feed("HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope"));
    CHECK(parser.response().status == 404);
    CHECK(parser.response().body == "nope");
  }

  TEST_CASE("a chunked response") {
    ResponseParser parser;
    CHECK_FALSE(parser.feed("HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n"));
    CHECK(parser.feed("2\r\nef\r\n0\r\n\r\n"));
    CHECK(parser.response().status == 503);
    CHECK(parser.response().body == "abcdef");
  }

  TEST_CASE("a body delimited by EOF completes on finish and is not kept alive") {
    ResponseParser parser;
    CHECK_FALSE(parser.feed("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\npartial"));
    parser.finish();
    CHECK(parser.complete());
    CHECK(parser.response().body == "partial");
    CHECK_FALSE(parser.response().keep_alive);
  }

  TEST_CASE("a response cut short, no response at all, and garbage are network errors") {
    ResponseParser cut;
    cut.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
    CHECK_THROWS_WITH_AS(cut.finish(), doctest::Contains("before the whole response"), fdk::oci::NetworkError);
    ResponseParser none;
    CHECK_THROWS_WITH_AS(none.finish(), doctest::Contains("before any response"), fdk::oci::NetworkError);
    ResponseParser garbage;
    CHECK_THROWS_AS(garbage.feed("SSH-2.0-OpenSSH\r\n"), fdk::oci::NetworkError);
  }

  TEST_CASE("a HEAD response has no body whatever Content-Length says") {
    ResponseParser parser(true);
    CHECK(parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"));
    CHECK(parser.response().body.empty());
  }
}
