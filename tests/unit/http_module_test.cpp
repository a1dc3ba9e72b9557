// The internal HTTP/1.1 module: dates, URLs, status text, the writer, and the parser's
// handling of interim responses.
#include <doctest/doctest.h>

#include <chrono>
#include <stdexcept>

#include "http/date.hpp"
#include "http/message_parser.hpp"
#include "http/message_writer.hpp"
#include "http/status_text.hpp"
#include "http/url.hpp"

namespace http = fdk::http;

namespace {
long long epoch_seconds(http::SystemTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
}  // namespace

TEST_CASE("the civil-date algorithm round-trips every day from 1600 to 2400") {
  const std::int64_t first = http::days_from_civil({1600, 1, 1});
  const std::int64_t last = http::days_from_civil({2400, 12, 31});
  CHECK(http::days_from_civil({1970, 1, 1}) == 0);
  CHECK(http::days_from_civil({2000, 3, 1}) == 11017);
  for (std::int64_t day = first; day <= last; ++day) {
    const http::CivilDate date = http::civil_from_days(day);
    REQUIRE(http::valid_civil_date(date));
    REQUIRE(http::days_from_civil(date) == day);
  }
  CHECK_FALSE(http::valid_civil_date({2023, 2, 29}));
  CHECK(http::valid_civil_date({2024, 2, 29}));
  CHECK_FALSE(http::valid_civil_date({1900, 2, 29}));
  CHECK_FALSE(http::valid_civil_date({2024, 4, 31}));
}

TEST_CASE("HTTP dates (IMF-fixdate) are parsed and formatted, weekday included") {
  const auto when = http::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT");
  REQUIRE(when);
  CHECK(epoch_seconds(*when) == 784111777);
  CHECK(http::format_http_date(*when) == "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(http::format_http_date(http::SystemTime{}) == "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK(http::format_http_date(http::SystemTime(std::chrono::seconds(-1))) == "Wed, 31 Dec 1969 23:59:59 GMT");
  CHECK_FALSE(http::parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"));
  CHECK_FALSE(http::parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"));
  CHECK_FALSE(http::parse_http_date("Sun, 31 Feb 1994 08:49:37 GMT"));
  CHECK_FALSE(http::parse_http_date("Sun, 06 Nov 1994 24:00:00 GMT"));
  CHECK_FALSE(http::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT "));
}

// Issue 11 item 12: nanosecond clock arithmetic past 2262 overflowed (undefined behaviour).
TEST_CASE("times the nanosecond clock cannot hold are refused, not overflowed") {
  CHECK_FALSE(http::parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT"));
  CHECK_FALSE(http::parse_http_date("Sat, 12 Apr 2262 00:00:00 GMT"));
  CHECK(http::parse_http_date("Thu, 01 Jan 2260 00:00:00 GMT"));
  CHECK_FALSE(http::parse_rfc3339("9999-12-31T23:59:59Z"));
  CHECK_FALSE(http::parse_rfc3339("1000-01-01T00:00:00Z"));
  const auto far = http::parse_rfc3339_unix("9999-12-31T23:59:59.5Z");
  REQUIRE(far);
  CHECK(far->seconds == 253402300799);
  CHECK(far->nanos == 500000000);
  CHECK_FALSE(http::time_from_unix(1'000'000'000'000));
  CHECK_FALSE(http::time_from_unix(-1'000'000'000'000));
  REQUIRE(http::time_from_unix(1'700'000'000, 250));
  CHECK(http::time_from_unix(1'700'000'000, 250)->time_since_epoch() ==
        std::chrono::seconds(1'700'000'000) + std::chrono::nanoseconds(250));
}

TEST_CASE("RFC 3339 timestamps format with milliseconds or whole seconds") {
  const auto t = http::parse_rfc3339("2026-11-21T22:14:08.250+02:00");
  REQUIRE(t);
  CHECK(http::format_rfc3339(*t) == "2026-11-21T20:14:08.250Z");
  CHECK(http::format_rfc3339_seconds(*t) == "2026-11-21T20:14:08Z");
}

TEST_CASE("URLs: absolute URLs split for a connection, targets in origin form") {
  const http::Url url = http::parse_url("HTTPS://[::1]:8443?q=1#frag");
  CHECK(url.scheme == "https");
  CHECK(url.host == "::1");
  CHECK(url.port == 8443);
  CHECK(url.target == "/?q=1");
  CHECK(url.authority() == "[::1]:8443");
  CHECK(http::parse_url("https://[::1]/").authority() == "[::1]");
  CHECK(http::parse_url("https://[::1]/").host_and_port() == "[::1]:443");
  CHECK(http::parse_url("http://h/").host_and_port() == "h:80");
  CHECK_THROWS_AS((void)http::parse_url("/relative"), std::invalid_argument);
  CHECK_THROWS_AS((void)http::parse_url("https://user:secret@host/"), std::invalid_argument);

  CHECK(http::origin_form("http://127.0.0.1:9/a/b?x=1#f") == "/a/b?x=1");
  CHECK(http::origin_form("http://host") == "/");
  CHECK(http::origin_form("/a?x") == "/a?x");
  CHECK(http::origin_form("/a://b") == "/a://b");
  CHECK(http::origin_form("a/b?x") == "/a/b?x");
  CHECK(http::origin_form("http:/[::1]:80?x#f") == "/http:/[::1]:80?x");
  CHECK(http::url_path("http://host?x=1") == "/");
  CHECK(http::url_path("/p/q?x=1") == "/p/q");
  CHECK(http::url_query("/p?x=1#y") == "x=1");
}

TEST_CASE("status text comes from one table") {
  CHECK(http::status_text(200) == "OK");
  CHECK(http::status_text(404) == "Not Found");
  CHECK(http::status_text(504) == "Gateway Timeout");
  CHECK(http::status_text(799) == "Status");
}

TEST_CASE("the writer's requests and chunked bodies parse back") {
  std::string wire;
  http::write_request_line(wire, "PUT", "/x?y=1");
  http::write_header(wire, "Host", "localhost");
  http::write_header(wire, "Transfer-Encoding", "chunked");
  http::end_head(wire);
  http::write_chunked_body(wire, std::string(300, 'b'));
  CHECK(wire.find("\r\n12c\r\n") != std::string::npos);

  http::MessageParser parser(http::ParserLimits{});
  std::size_t consumed = 0;
  REQUIRE(parser.feed(wire, consumed) == http::MessageParser::Status::complete);
  CHECK(consumed == wire.size());
  const http::RawMessage message = parser.take_message();
  CHECK(message.method == "PUT");
  CHECK(message.target == "/x?y=1");
  CHECK(message.body == std::string(300, 'b'));

  std::string empty;
  http::write_chunked_body(empty, "");
  CHECK(empty == "0\r\n\r\n");
}

// What callers check before writing (issue 11 item 7: a CR or LF would start a new header line).
TEST_CASE("tokens and field values: what may be written as a method, header name or value") {
  for (const char* token : {"GET", "X-Custom_1", "opc-retry-token", "!#$%&'*+-.^_`|~"}) CHECK(http::is_token(token));
  for (const char* bad : {"", "X A", "X:A", "X\r\nY", "(x)", "caf\xc3\xa9"}) CHECK_FALSE(http::is_token(bad));
  for (const char* value : {"", "a b\tc", "Basic YWxpY2U6czNjcmV0", "caf\xc3\xa9"}) CHECK(http::is_field_value(value));
  for (const std::string& bad : {std::string("a\r\nX-Injected: 1"), std::string("a\nb"), std::string("a\rb"),
                                 std::string("a\0b", 3), std::string("a\x7f"), std::string("a\x01")}) {
    CHECK_FALSE(http::is_field_value(bad));
  }
}

// Issue 11 item 9: an interim 1xx was taken as the final answer.
TEST_CASE("a response parser skips interim 1xx answers and completes on the final one") {
  const std::string wire =
      "HTTP/1.1 100 Continue\r\n\r\n"
      "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
      "HTTP/1.1 201 Created\r\nContent-Length: 2\r\nX-Final: yes\r\n\r\nok";
  for (std::size_t split = 0; split <= wire.size(); split += 7) {
    http::MessageParser parser(http::ParserLimits{}, http::MessageParser::Kind::response);
    std::size_t consumed = 0;
    auto status = parser.feed(std::string_view(wire).substr(0, split), consumed);
    REQUIRE(status == http::MessageParser::Status::need_more);
    status = parser.feed(std::string_view(wire).substr(split), consumed);
    REQUIRE(status == http::MessageParser::Status::complete);
    const http::RawMessage message = parser.take_message();
    CHECK(message.status == 201);
    CHECK(message.body == "ok");
    CHECK(message.headers.get("X-Final") == "yes");
    CHECK_FALSE(message.headers.get("Link"));
  }
}

TEST_CASE("requests are never treated as interim") {
  http::MessageParser parser(http::ParserLimits{});
  std::size_t consumed = 0;
  CHECK(parser.feed("GET /100 HTTP/1.1\r\nHost: x\r\n\r\n", consumed) == http::MessageParser::Status::complete);
}
