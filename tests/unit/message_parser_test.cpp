#include <doctest/doctest.h>

#include "protocol/message_parser.hpp"

using fdk::protocol::MessageParser;
using Status = MessageParser::Status;

namespace {

// The invoke call captured from the real agent (fn-contract.md §2).
const std::string kAgentInvoke =
    "POST /call HTTP/1.1\r\nHost: localhost\r\nUser-Agent: curl/7.88.1\r\nTransfer-Encoding: chunked\r\n"
    "Accept: */*\r\nContent-Type: application/json\r\nFn-Call-Id: 01M7ZXYA53R00040GZJ0000001\r\n"
    "Fn-Deadline: 2026-11-21T20:50:07Z\r\nX-Client-Hdr: hello\r\nAccept-Encoding: gzip\r\n\r\n"
    "f\r\n{\"name\":\"Dump\"}\r\n0\r\n\r\n";

fdk::protocol::ParserLimits limits(std::size_t body = 1024, std::size_t headers = 4096) {
  return fdk::protocol::ParserLimits{headers, body};
}

}  // namespace

TEST_CASE("a chunked agent call parses in one piece") {
  MessageParser parser(limits());
  std::size_t consumed = 0;
  REQUIRE(parser.feed(kAgentInvoke, consumed) == Status::complete);
  CHECK(consumed == kAgentInvoke.size());
  auto request = parser.take_message();
  CHECK(request.method == "POST");
  CHECK(request.target == "/call");
  CHECK(request.body == R"({"name":"Dump"})");
  CHECK(request.headers.get("fn-call-id") == "01M7ZXYA53R00040GZJ0000001");
  CHECK(request.keep_alive);
}

TEST_CASE("byte-at-a-time delivery gives the same request") {
  MessageParser parser(limits());
  Status status = Status::need_more;
  for (std::size_t i = 0; i < kAgentInvoke.size(); ++i) {
    std::size_t consumed = 0;
    status = parser.feed(std::string_view(kAgentInvoke).substr(i, 1), consumed);
    CHECK(consumed == 1);
    if (status != Status::need_more) break;
  }
  REQUIRE(status == Status::complete);
  CHECK(parser.take_message().body == R"({"name":"Dump"})");
}

TEST_CASE("pipelined requests are handed out one at a time") {
  std::string second = "POST /call HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc";
  std::string both = kAgentInvoke + second;
  MessageParser parser(limits());
  std::size_t consumed = 0;
  REQUIRE(parser.feed(both, consumed) == Status::complete);
  CHECK(consumed == kAgentInvoke.size());
  parser.take_message();
  std::size_t consumed2 = 0;
  REQUIRE(parser.feed(std::string_view(both).substr(consumed), consumed2) == Status::complete);
  CHECK(parser.take_message().body == "abc");
}

TEST_CASE("a body over the limit is drained, flagged and not stored") {
  MessageParser parser(limits(10));
  std::string request = "POST /call HTTP/1.1\r\nContent-Length: 20\r\n\r\n01234567890123456789";
  std::size_t consumed = 0;
  REQUIRE(parser.feed(request, consumed) == Status::complete);
  auto message = parser.take_message();
  CHECK(message.body_too_large);
  CHECK(message.body.empty());
  CHECK(message.body_bytes_seen == 20);
}

TEST_CASE("oversized headers are refused with a clear message") {
  MessageParser parser(limits(10, 100));
  std::string request = "POST /call HTTP/1.1\r\nX-Big: " + std::string(200, 'a') + "\r\n\r\n";
  std::size_t consumed = 0;
  CHECK(parser.feed(request, consumed) == Status::error);
  CHECK(parser.headers_too_large());
  CHECK(parser.error_message().find("FDK_MAX_HEADER_BYTES") != std::string::npos);
}

TEST_CASE("malformed bytes are an error, and stay one") {
  MessageParser parser(limits());
  std::size_t consumed = 0;
  CHECK(parser.feed("GARBAGE\r\n\r\n", consumed) == Status::error);
  CHECK(parser.error_message().find("not valid HTTP/1.1") != std::string::npos);
  CHECK(parser.feed("POST /call HTTP/1.1\r\n\r\n", consumed) == Status::error);
}

TEST_CASE("a request cut short by EOF is an error; a clean EOF is not") {
  MessageParser parser(limits());
  CHECK(parser.finish() == Status::need_more);
  std::size_t consumed = 0;
  CHECK(parser.feed("POST /call HTTP/1.1\r\nContent-Length: 5\r\n\r\nab", consumed) == Status::need_more);
  CHECK(parser.in_progress());
  CHECK(parser.finish() == Status::error);
}

TEST_CASE("Connection: close is reported") {
  MessageParser parser(limits());
  std::size_t consumed = 0;
  REQUIRE(parser.feed("POST /call HTTP/1.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", consumed) ==
          Status::complete);
  CHECK_FALSE(parser.take_message().keep_alive);
}

TEST_CASE("responses parse with their status") {
  MessageParser parser(limits(), MessageParser::Kind::response);
  std::size_t consumed = 0;
  REQUIRE(parser.feed("HTTP/1.1 504 Gateway Timeout\r\nContent-Length: 2\r\n\r\n{}", consumed) == Status::complete);
  auto response = parser.take_message();
  CHECK(response.status == 504);
  CHECK(response.body == "{}");
}

// The runtime gives each served request back (MessageParser::reuse) so the next one is parsed
// into its strings; nothing of the old request may show through in the new one.
TEST_CASE("a message parsed into a reused one's storage holds only its own parts") {
  MessageParser parser(limits());
  std::size_t consumed = 0;
  REQUIRE(parser.feed(kAgentInvoke, consumed) == Status::complete);
  auto first = parser.take_message();
  REQUIRE(first.headers.size() == 9);
  const std::string* kept_value = first.headers.find("Fn-Call-Id");
  REQUIRE(kept_value);
  const char* kept_storage = kept_value->data();
  parser.reuse(std::move(first));

  SUBCASE("fewer headers and a shorter body") {
    std::string smaller = "PUT /other?x=1 HTTP/1.1\r\nFn-Call-Id: 02\r\nContent-Length: 2\r\n\r\nok";
    REQUIRE(parser.feed(smaller, consumed) == Status::complete);
    auto second = parser.take_message();
    CHECK(second.method == "PUT");
    CHECK(second.target == "/other?x=1");
    CHECK(second.body == "ok");
    CHECK(second.headers.size() == 2);
    CHECK(second.headers.get("Fn-Call-Id") == "02");
    CHECK_FALSE(second.headers.contains("Fn-Deadline"));
  }
  SUBCASE("more headers than before, one split across reads") {
    std::string bigger = "POST /call HTTP/1.1\r\n";
    for (int i = 0; i < 12; ++i) bigger += "X-H" + std::to_string(i) + ": value-" + std::to_string(i) + "\r\n";
    bigger += "Content-Length: 0\r\n\r\n";
    std::size_t cut = bigger.find("value-7") + 3;
    REQUIRE(parser.feed(bigger.substr(0, cut), consumed) == Status::need_more);
    REQUIRE(parser.feed(bigger.substr(cut), consumed) == Status::complete);
    auto second = parser.take_message();
    CHECK(second.headers.size() == 13);
    CHECK(second.headers.get("x-h7") == "value-7");
    CHECK(second.headers.entries().front().first == "X-H0");
    CHECK(second.headers.entries().back().first == "Content-Length");
    CHECK(second.body.empty());
  }
  SUBCASE("the same shape reuses the storage") {
    REQUIRE(parser.feed(kAgentInvoke, consumed) == Status::complete);
    auto second = parser.take_message();
    CHECK(second.headers.size() == 9);
    CHECK(second.headers.find("Fn-Call-Id")->data() == kept_storage);
    CHECK(second.body == R"({"name":"Dump"})");
  }
}

TEST_CASE("a reused message gives up a large body's storage") {
  MessageParser parser(limits(1024 * 1024));
  fdk::protocol::RawMessage spent;
  spent.body.assign(200 * 1024, 'x');
  spent.body_too_large = true;
  parser.reuse(std::move(spent));
  std::size_t consumed = 0;
  REQUIRE(parser.feed("POST /call HTTP/1.1\r\nContent-Length: 1\r\n\r\nz", consumed) == Status::complete);
  auto next = parser.take_message();
  CHECK(next.body == "z");
  CHECK(next.body.capacity() < 64 * 1024);
  CHECK_FALSE(next.body_too_large);
  CHECK(next.keep_alive);
}
