// The Fn rendering of each kind of call result: the agent's status and what goes on the wire.
#include <doctest/doctest.h>

#include "core/call_result.hpp"
#include "protocol/outcome.hpp"

using namespace fdk;
using fdk::core::ResultKind;
using fdk::protocol::encode_outcome;
using fdk::protocol::to_outcome;

namespace {

std::string wire_of(core::CallResult result) { return encode_outcome(to_outcome(std::move(result)), false); }

bool starts_with(const std::string& text, std::string_view prefix) { return text.rfind(prefix, 0) == 0; }
bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("the agent status of each kind") {
  CHECK(protocol::agent_status_of(ResultKind::ok) == 200);
  CHECK(protocol::agent_status_of(ResultKind::http_error) == 200);
  CHECK(protocol::agent_status_of(ResultKind::too_large) == 200);
  CHECK(protocol::agent_status_of(ResultKind::handler_failed) == 502);
  CHECK(protocol::agent_status_of(ResultKind::bad_request) == 502);
  CHECK(protocol::agent_status_of(ResultKind::unavailable) == 502);
  CHECK(protocol::agent_status_of(ResultKind::deadline_passed) == 504);
}

TEST_CASE("results the caller receives travel as 200 with Fn-Http-Status") {
  std::string ok = wire_of({ResultKind::ok, Response::text("hi", 201).add_header("X-A", "1"), {}});
  CHECK(starts_with(ok, "HTTP/1.1 200 OK\r\n"));
  CHECK(contains(ok, "Fn-Http-Status: 201\r\n"));
  CHECK(contains(ok, "Fn-Http-H-X-A: 1\r\n"));

  std::string http_error = wire_of(core::http_error_result("c1", 404, "gone"));
  CHECK(starts_with(http_error, "HTTP/1.1 200 OK\r\n"));
  CHECK(contains(http_error, "Fn-Http-Status: 404\r\n"));
  CHECK(contains(http_error, "Content-Type: application/json\r\n"));
  CHECK(contains(http_error, R"({"call_id":"c1","message":"gone"})"));

  std::string too_large = wire_of(core::too_large_result("c2", 10, 5));
  CHECK(starts_with(too_large, "HTTP/1.1 200 OK\r\n"));
  CHECK(contains(too_large, "Fn-Http-Status: 413\r\n"));
}

TEST_CASE("failures travel as 502 or 504 with their JSON body and no gateway status") {
  for (auto result : {core::handler_failed_result("c3", "boom"), core::bad_request_result("c4", "not a call", 405),
                      core::unavailable_result("c5", "no thread")}) {
    auto outcome = to_outcome(result);
    CHECK(outcome.agent_status == 502);
    CHECK(outcome.log_line == result.log_line);
    std::string wire = encode_outcome(outcome, false);
    CHECK(starts_with(wire, "HTTP/1.1 502 Bad Gateway\r\n"));
    CHECK_FALSE(contains(wire, "Fn-Http-Status"));
    CHECK(contains(wire, "\r\n\r\n" + result.response.body()));
  }
  std::string deadline = wire_of(core::deadline_result("c6", std::chrono::system_clock::now()));
  CHECK(starts_with(deadline, "HTTP/1.1 504 Gateway Timeout\r\n"));
  CHECK_FALSE(contains(deadline, "Fn-Http-Status"));
}

TEST_CASE("a HEAD refusal is rendered without a body") {
  std::string wire = encode_outcome(to_outcome(core::bad_request_result("", "HEAD is not a call", 405), true), false);
  CHECK(starts_with(wire, "HTTP/1.1 502 Bad Gateway\r\n"));
  CHECK_FALSE(contains(wire, "Content-Length"));
  CHECK(wire.size() == wire.find("\r\n\r\n") + 4);
}
