// The request -> context -> handler -> response path, without sockets.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/call_core.hpp"
#include "fdk/http_error.hpp"
#include "protocol/call_flow.hpp"
#include "protocol/context_mapping.hpp"

using namespace fdk;
using namespace fdk::protocol;

namespace {

RawRequest request_with(std::initializer_list<Headers::Entry> headers, std::string body = "") {
  RawRequest r;
  r.method = "POST";
  r.target = "/call";
  r.headers = Headers(headers);
  r.body = std::move(body);
  return r;
}

FunctionEnvironment environment(std::map<std::string, std::string, std::less<>> values = {}) {
  return FunctionEnvironment::from_config(std::make_shared<const Config>(std::move(values)));
}

PreparedCall prepare(RawRequest request, const FunctionEnvironment& env = environment()) {
  auto accepted = accept_request(std::move(request), env, ParserLimits{}, std::chrono::system_clock::now());
  REQUIRE(std::holds_alternative<PreparedCall>(accepted));
  return std::get<PreparedCall>(std::move(accepted));
}

// The Fn rendering of running the handler through the core.
Outcome run_handler(const Handler& handler, PreparedCall& call) {
  return to_outcome(core::run_handler(handler, call.context, call.body));
}

Outcome deadline_outcome(const std::string& call_id, SystemTime deadline) {
  return to_outcome(core::deadline_result(call_id, deadline));
}

// The trigger call captured from the real agent (fn-contract.md §2).
RawRequest captured_trigger() {
  return request_with({{"Host", "localhost"},
                       {"User-Agent", "Go-http-client/1.1"},
                       {"Content-Length", "0"},
                       {"Fn-Call-Id", "01M7ZXYB1AR00040GZJ0000005"},
                       {"Fn-Deadline", "2026-11-21T20:50:08Z"},
                       {"Fn-Http-H-Accept", "application/json"},
                       {"Fn-Http-H-Cookie", "c=1"},
                       {"Fn-Http-H-User-Agent", "curl/7.88.1"},
                       {"Fn-Http-H-X-Custom-Req", "abc"},
                       {"Fn-Http-H-X-Multi", "a"},
                       {"Fn-Http-H-X-Multi", "b"},
                       {"Fn-Http-Method", "GET"},
                       {"Fn-Http-Request-Url", "http://127.0.0.1:8080/t/myapp/dumper?x=1&y=two%20words&y=3"},
                       {"Fn-Intent", "httprequest"},
                       {"Accept-Encoding", "gzip"}});
}

}  // namespace

TEST_CASE("the captured trigger call maps to the gateway view") {
  auto call = prepare(captured_trigger());
  const Context& ctx = call.context;
  CHECK(ctx.call_id() == "01M7ZXYB1AR00040GZJ0000005");
  CHECK(ctx.deadline() == *parse_rfc3339("2026-11-21T20:50:08Z"));
  REQUIRE(ctx.is_gateway());
  const GatewayRequest& gw = ctx.gateway();
  CHECK(gw.method == "GET");
  CHECK(gw.request_url == "http://127.0.0.1:8080/t/myapp/dumper?x=1&y=two%20words&y=3");
  CHECK(gw.path == "/t/myapp/dumper");
  CHECK(gw.query_value("y") == "two words");
  CHECK(gw.query.size() == 3);
  CHECK(gw.headers.get_all("X-Multi") == std::vector<std::string>{"a", "b"});
  CHECK(gw.headers.get("cookie") == "c=1");
  CHECK_FALSE(gw.headers.contains("Fn-Intent"));
  CHECK(ctx.headers().get("Fn-Http-Method") == "GET");  // raw headers stay available
}

TEST_CASE("an invoke call is not a gateway call") {
  auto call = prepare(request_with({{"Fn-Call-Id", "c1"}, {"Content-Type", "application/json"}}, "{}"));
  CHECK_FALSE(call.context.is_gateway());
  CHECK(call.context.gateway().method.empty());
  CHECK(call.context.content_type() == "application/json");
  CHECK(call.body == "{}");
}

TEST_CASE("function facts and config come from the environment") {
  auto env = environment({{"FN_APP_ID", "app1"}, {"FN_FN_ID", "fn1"}, {"FN_APP_NAME", "App"},
                          {"FN_FN_NAME", "Fun"}, {"FN_MEMORY", "256"}, {"GREETING", "hi"}});
  auto call = prepare(request_with({}), env);
  const Context& ctx = call.context;
  CHECK(ctx.app_id() == "app1");
  CHECK(ctx.fn_id() == "fn1");
  CHECK(ctx.app_name() == "App");
  CHECK(ctx.fn_name() == "Fun");
  CHECK(ctx.memory_mb() == 256);
  CHECK(ctx.config().get_or("GREETING", "") == "hi");
  CHECK(ctx.config().get_or("MISSING", "default") == "default");
  CHECK_FALSE(ctx.tracing().enabled);
}

TEST_CASE("a missing or malformed deadline means Fn's default timeout") {
  for (const char* deadline : {"", "tomorrow"}) {
    auto before = std::chrono::system_clock::now();
    auto call = prepare(request_with({{"Fn-Deadline", deadline}}));
    auto expected = before + kDefaultCallTimeout;
    CHECK(call.context.deadline() >= expected);
    CHECK(call.context.deadline() < expected + std::chrono::seconds(2));
  }
}

TEST_CASE("cancelled turns true when the deadline passes or the runtime says so") {
  auto past = prepare(request_with({{"Fn-Deadline", "2000-01-01T00:00:00Z"}}));
  CHECK(past.context.cancelled());
  CHECK(past.context.time_remaining().count() == 0);
  auto future = prepare(request_with({{"Fn-Deadline", "2999-01-01T00:00:00Z"}}));
  CHECK_FALSE(future.context.cancelled());
  future.cancelled->store(true);
  CHECK(future.context.cancelled());
}

TEST_CASE("B3 headers form the tracing context when tracing is on") {
  auto env = environment({{"OCI_TRACING_ENABLED", "true"}, {"OCI_TRACE_COLLECTOR_URL", "http://zipkin"},
                          {"FN_APP_NAME", "MyApp"}, {"FN_FN_NAME", "MyFn"}});
  auto call = prepare(request_with({{"X-B3-TraceId", "t1"}, {"X-B3-SpanId", "s1"}, {"X-B3-ParentSpanId", "p1"},
                                    {"X-B3-Sampled", "1"}}),
                      env);
  const TracingContext& t = call.context.tracing();
  CHECK(t.enabled);
  CHECK(t.trace_id == "t1");
  CHECK(t.span_id == "s1");
  CHECK(t.parent_span_id == "p1");
  CHECK(t.sampled);
  CHECK(t.collector_url == "http://zipkin");
  CHECK(t.service_name == "myapp::myfn");
}

TEST_CASE("log framing writes the configured header's value") {
  auto env = environment({{"FN_LOGFRAME_NAME", "call"}, {"FN_LOGFRAME_HDR", "Fn-Call-Id"}});
  auto call = prepare(request_with({{"Fn-Call-Id", "abc"}}), env);
  CHECK(call.log_frame == "\ncall=abc\n");
  CHECK(prepare(request_with({{"Fn-Call-Id", "abc"}})).log_frame.empty());
}

TEST_CASE("paths other than /call are refused with 502, never another status") {
  auto r = request_with({});
  r.method = "GET";
  r.target = "/health";
  auto accepted = accept_request(std::move(r), environment(), ParserLimits{}, std::chrono::system_clock::now());
  REQUIRE(std::holds_alternative<Outcome>(accepted));
  CHECK(std::get<Outcome>(accepted).agent_status == 502);
  CHECK(std::get<Outcome>(accepted).response.body().find("/call") != std::string::npos);
}

TEST_CASE("request bytes that are not UTF-8 still give a JSON refusal (found by the fuzzer)") {
  auto r = request_with({{"Fn-Call-Id", "\xc1\xc1"}});
  r.target = "/cal\xc1\xc1";
  auto accepted = accept_request(std::move(r), environment(), ParserLimits{}, std::chrono::system_clock::now());
  REQUIRE(std::holds_alternative<Outcome>(accepted));
  const Outcome& outcome = std::get<Outcome>(accepted);
  CHECK(outcome.agent_status == 502);
  CHECK(nlohmann::json::parse(outcome.response.body())["message"].is_string());
  CHECK(nlohmann::json::parse(outcome.log_line)["level"] == "warning");
}

TEST_CASE("a body over the limit gives the caller 413 and the agent 200") {
  auto r = request_with({{"Fn-Call-Id", "big"}});
  r.body_too_large = true;
  r.body_bytes_seen = 7000000;
  auto accepted = accept_request(std::move(r), environment(), ParserLimits{}, std::chrono::system_clock::now());
  REQUIRE(std::holds_alternative<Outcome>(accepted));
  const Outcome& outcome = std::get<Outcome>(accepted);
  CHECK(outcome.agent_status == 200);
  CHECK(outcome.response.status() == 413);
  CHECK(outcome.response.body().find("FDK_MAX_BODY_BYTES") != std::string::npos);
}

TEST_CASE("handler results map to agent statuses") {
  auto call = prepare(request_with({{"Fn-Call-Id", "c9"}}));
  SUBCASE("a return is 200") {
    auto outcome = run_handler([](Context&, std::string_view) { return Response::text("ok", 201); }, call);
    CHECK(outcome.agent_status == 200);
    CHECK(outcome.response.status() == 201);
    CHECK(outcome.log_line.empty());
  }
  SUBCASE("HttpError is 200 with the gateway status and message") {
    auto outcome = run_handler([](Context&, std::string_view) -> Response { throw HttpError(404, "no such thing"); },
                               call);
    CHECK(outcome.agent_status == 200);
    CHECK(outcome.response.status() == 404);
    CHECK(nlohmann::json::parse(outcome.response.body())["message"] == "no such thing");
  }
  SUBCASE("any other exception is 502 with a JSON body and a log line") {
    auto outcome = run_handler([](Context&, std::string_view) -> Response { throw std::runtime_error("boom"); }, call);
    CHECK(outcome.agent_status == 502);
    auto body = nlohmann::json::parse(outcome.response.body());
    CHECK(body["call_id"] == "c9");
    CHECK(body["message"].get<std::string>().find("boom") != std::string::npos);
    auto log = nlohmann::json::parse(outcome.log_line);
    CHECK(log["level"] == "error");
    CHECK(log["call_id"] == "c9");
  }
  SUBCASE("a non-std exception is 502 too") {
    auto outcome = run_handler([](Context&, std::string_view) -> Response { throw 42; }, call);
    CHECK(outcome.agent_status == 502);
  }
  SUBCASE("an invalid response is a handler failure, never sent") {
    auto bad_status = run_handler([](Context&, std::string_view) { return Response::text("x", 42); }, call);
    CHECK(bad_status.agent_status == 502);
    auto injection = run_handler(
        [](Context&, std::string_view) { return Response::text("x").add_header("X-A", "1\r\nX-Evil: 2"); }, call);
    CHECK(injection.agent_status == 502);
    auto bad_name = run_handler([](Context&, std::string_view) { return Response::text("x").add_header("A B", "1"); },
                                call);
    CHECK(bad_name.agent_status == 502);
  }
}

TEST_CASE("responses are encoded exactly per the contract") {
  Outcome outcome{200, Response::text("hi", 404).add_header("Set-Cookie", "a=1").add_header("Set-Cookie", "b=2"), {}};
  std::string wire = encode_outcome(outcome, false);
  CHECK(wire.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(wire.find("Fn-Http-Status: 404\r\n") != std::string::npos);
  CHECK(wire.find("Fn-Http-H-Set-Cookie: a=1\r\nFn-Http-H-Set-Cookie: b=2\r\n") != std::string::npos);
  CHECK(wire.find("Content-Type: text/plain; charset=utf-8\r\n") != std::string::npos);
  CHECK(wire.find("Fn-Fdk-Version: fdk-cpp/") != std::string::npos);
  CHECK(wire.find("Fn-Fdk-Runtime: cpp/") != std::string::npos);
  CHECK(wire.find("Content-Length: 2\r\n\r\nhi") != std::string::npos);
  CHECK(wire.find("Connection: close") == std::string::npos);
  CHECK(encode_outcome(outcome, true).find("Connection: close\r\n") != std::string::npos);
}

TEST_CASE("a Content-Type header travels raw; framing headers from the handler are dropped") {
  Outcome outcome{200,
                  Response::empty(200).add_header("content-type", "image/png").add_header("Content-Length", "999"),
                  {}};
  std::string wire = encode_outcome(outcome, false);
  CHECK(wire.find("Content-Type: image/png\r\n") != std::string::npos);
  CHECK(wire.find("Fn-Http-H-content-type") == std::string::npos);
  CHECK(wire.find("999") == std::string::npos);
  CHECK(wire.find("Content-Length: 0\r\n") != std::string::npos);
}

TEST_CASE("failures carry no gateway encapsulation") {
  std::string wire = encode_outcome(deadline_outcome("c1", *parse_rfc3339("2026-11-21T20:50:08Z")), false);
  CHECK(wire.rfind("HTTP/1.1 504 Gateway Timeout\r\n", 0) == 0);
  CHECK(wire.find("Fn-Http-Status") == std::string::npos);
  CHECK(wire.find("2026-11-21T20:50:08.000Z") != std::string::npos);
}
