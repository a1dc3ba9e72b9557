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

  TEST_CASE("a body over the limit is an error, never a silent empty success") {
    // Content-Length, chunked and EOF-delimited bodies of 101 bytes against a 100-byte limit.
    const std::string body(101, 'x');
    const std::string framed[] = {
        "HTTP/1.1 200 OK\r\nContent-Length: 101\r\n\r\n" + body,
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n65\r\n" + body + "\r\n0\r\n\r\n",
    };
    for (const std::string& wire : framed) {
      ResponseParser parser(false, 100);
      CHECK_THROWS_WITH_AS(parser.feed(wire), doctest::Contains("larger than the limit of 100 bytes"),
                           fdk::oci::NetworkError);
    }
    ResponseParser eof_delimited(false, 100);
    CHECK_FALSE(eof_delimited.feed("HTTP/1.1 200 OK\r\n\r\n" + body));
    CHECK_THROWS_AS(eof_delimited.finish(), fdk::oci::NetworkError);
    ResponseParser at_limit(false, 101);
    CHECK(at_limit.feed("HTTP/1.1 200 OK\r\nContent-Length: 101\r\n\r\n" + body));
    CHECK(at_limit.response().body == body);
  }

  TEST_CASE("reading stops as soon as more bytes than the limit arrived, before the body ends") {
    ResponseParser parser(false, 1000);
    CHECK_FALSE(parser.feed("HTTP/1.1 200 OK\r\nContent-Length: 3000000000\r\n\r\n"));
    const std::string chunk(64 * 1024, 'x');
    std::size_t fed = 0;
    CHECK_THROWS_AS(
        [&] {
          for (int i = 0; i < 64; ++i) {
            parser.feed(chunk);
            fed += chunk.size();
          }
        }(),
        fdk::oci::NetworkError);
    CHECK(fed <= (1u << 20) + 1000);
  }
}
