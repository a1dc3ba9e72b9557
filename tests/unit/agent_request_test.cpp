#include <doctest/doctest.h>

#include "testing/agent_request.hpp"
#include "protocol/message_parser.hpp"

using namespace fdk::protocol;

TEST_CASE("agent requests are chunked when they have a body and parse back") {
  AgentCall call;
  call.body = "hello";
  call.content_type = "text/plain";
  call.call_id = "c1";
  call.deadline = *parse_rfc3339("2026-11-21T20:50:07.900Z");
  call.gateway_method = "GET";
  call.gateway_url = "http://x/t/a/b?c=d";
  call.gateway_headers.add("X-Multi", "a").add("X-Multi", "b");
  std::string wire = encode_agent_request(call);
  CHECK(wire.find("Transfer-Encoding: chunked\r\n") != std::string::npos);
  CHECK(wire.find("Fn-Deadline: 2026-11-21T20:50:07Z\r\n") != std::string::npos);  // truncated like the agent
  MessageParser parser(ParserLimits{});
  std::size_t consumed = 0;
  REQUIRE(parser.feed(wire, consumed) == MessageParser::Status::complete);
  auto request = parser.take_message();
  CHECK(request.body == "hello");
  CHECK(request.headers.get_all("Fn-Http-H-X-Multi").size() == 2);
  CHECK(request.headers.get("Fn-Intent") == "httprequest");
}

TEST_CASE("an empty body is sent with Content-Length: 0") {
  AgentCall call;
  call.call_id = "c2";
  call.deadline = std::chrono::system_clock::now();
  call.whole_second_deadline = false;
  std::string wire = encode_agent_request(call);
  CHECK(wire.find("Content-Length: 0\r\n") != std::string::npos);
  CHECK(wire.find("chunked") == std::string::npos);
  CHECK(wire.find("Fn-Intent") == std::string::npos);
  CHECK(wire.find(".") != std::string::npos);  // millisecond deadline
}
