// HTTP hosts and stdio: request -> call, Outcome -> the caller's response, platform choice.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/call_core.hpp"
#include "fdk/http_error.hpp"
#include "httphost/request_mapping.hpp"
#include "httphost/response_rendering.hpp"
#include "httphost/stdio_mapping.hpp"
#include "runtime/http_endpoint.hpp"

using namespace fdk;
using namespace fdk::httphost;
using namespace std::chrono_literals;
using Values = std::map<std::string, std::string, std::less<>>;

namespace {

const protocol::SystemTime kNow = std::chrono::system_clock::from_time_t(1'800'000'000);

protocol::RawRequest request(std::string method, std::string target, Headers headers, std::string body = "") {
  protocol::RawRequest r;
  r.method = std::move(method);
  r.target = std::move(target);
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

HostEnvironment host(Values values = {}) { return std::get<HostEnvironment>(HostEnvironment::from_config(Config(values))); }

protocol::FunctionEnvironment function_env(Values values = {}) {
  auto env = protocol::FunctionEnvironment::from_config(std::make_shared<const Config>(std::move(values)));
  env.deadline_margin = 100ms;
  return env;
}

protocol::PreparedCall accept(protocol::RawRequest r, const HostEnvironment& h = host()) {
  auto accepted = accept_http_request(std::move(r), h, function_env(), protocol::ParserLimits{}, kNow);
  REQUIRE(std::holds_alternative<protocol::PreparedCall>(accepted));
  return std::get<protocol::PreparedCall>(std::move(accepted));
}

protocol::Outcome run(const Handler& handler, protocol::PreparedCall& call) {
  return protocol::to_outcome(core::run_handler(handler, call.context, call.body));
}

}  // namespace

TEST_CASE("every request is a gateway call with the caller's method, URL, query and headers") {
  auto call = accept(request("PUT", "/orders/7?x=1&name=Ada%20L",
                             Headers{{"Host", "greeter.default.example.com"}, {"X-Forwarded-Proto", "https"},
                                     {"Content-Type", "application/json"}, {"Accept", "*/*"}},
                             "{}"));
  const Context& ctx = call.context;
  CHECK(ctx.is_gateway());
  CHECK(ctx.gateway().method == "PUT");
  CHECK(ctx.gateway().request_url == "https://greeter.default.example.com/orders/7?x=1&name=Ada%20L");
  CHECK(ctx.gateway().scheme == "https");
  CHECK(ctx.gateway().host == "greeter.default.example.com");
  CHECK(ctx.gateway().path == "/orders/7");
  CHECK(ctx.gateway().raw_query == "x=1&name=Ada%20L");
  CHECK(ctx.gateway().query_value("name") == "Ada L");
  CHECK(ctx.gateway().headers.get_or("Accept", "") == "*/*");
  CHECK(ctx.headers().get_or("Accept", "") == "*/*");
  CHECK(ctx.content_type() == "application/json");
  CHECK(call.body == "{}");
  CHECK(ctx.call_id().size() == 32);  // nothing to take it from: generated
  CHECK_FALSE(ctx.cloud_event().has_value());
}

TEST_CASE("without a Host the URL names localhost; an absolute-form target is the URL") {
  CHECK(accept(request("GET", "/", Headers{})).context.gateway().request_url == "http://localhost/");
  CHECK(accept(request("GET", "http://h:81/p?q", Headers{{"Host", "h:81"}})).context.gateway().request_url ==
        "http://h:81/p?q");
}

TEST_CASE("Knative's and Cloud Run's K_* variables name the function") {
  auto call = accept(request("GET", "/", Headers{}),
                     host({{"K_SERVICE", "greeter"}, {"K_CONFIGURATION", "greeter-cfg"}, {"K_REVISION", "greeter-1"}}));
  CHECK(call.context.fn_name() == "greeter");
  CHECK(call.context.app_name() == "greeter-cfg");
  CHECK(call.context.platform() == Platform::http);
  CHECK(call.context.platform_attribute("revision") == "greeter-1");
  CHECK(call.context.platform_attribute("configuration") == "greeter-cfg");
  CHECK_FALSE(call.context.platform_attributes().count("watchdog_mode"));
  auto watchdog = accept(request("GET", "/", Headers{}), host({{"mode", "http"}}));
  CHECK(watchdog.context.platform_attribute("watchdog_mode") == "http");
  CHECK(watchdog.context.platform_attributes().size() == 1);
}

TEST_CASE("the deadline: X-Timeout, else exec_timeout under of-watchdog http, else FDK_TIMEOUT, else none") {
  auto deadline = [](Headers headers, Values values) {
    return accept(request("GET", "/", std::move(headers)), host(std::move(values))).context.deadline();
  };
  CHECK(deadline({}, {}) == Context::kNoDeadline);
  CHECK_FALSE(accept(request("GET", "/", Headers{})).context.has_deadline());
  CHECK(accept(request("GET", "/", Headers{}), host({{"FDK_TIMEOUT", "1s"}})).context.has_deadline());
  CHECK_FALSE(accept(request("GET", "/", Headers{})).context.cancelled());
  CHECK(deadline({}, {{"FDK_TIMEOUT", "30s"}}) == kNow + 30s - 100ms);
  CHECK(deadline({}, {{"mode", "http"}, {"exec_timeout", "10s"}, {"FDK_TIMEOUT", "30s"}}) == kNow + 10s - 100ms);
  // exec_timeout only matters under the of-watchdog's http mode, and 0 means none.
  CHECK(deadline({}, {{"exec_timeout", "10s"}}) == Context::kNoDeadline);
  CHECK(deadline({}, {{"mode", "http"}, {"exec_timeout", "0"}}) == Context::kNoDeadline);
  CHECK(deadline({{"X-Timeout", "2s"}}, {{"FDK_TIMEOUT", "30s"}}) == kNow + 2s - 100ms);
  // X-Timeout may shorten the watchdog's timeout, never lengthen it.
  CHECK(deadline({{"X-Timeout", "60s"}}, {{"mode", "http"}, {"exec_timeout", "10s"}}) == kNow + 10s - 100ms);
  CHECK(deadline({{"X-Timeout", "bogus"}}, {{"FDK_TIMEOUT", "30s"}}) == kNow + 30s - 100ms);
}

TEST_CASE("a timeout variable that is not a duration stops the start with a sentence naming it") {
  auto problem = HostEnvironment::from_config(Config(Values{{"FDK_TIMEOUT", "soon"}}));
  REQUIRE(std::holds_alternative<std::string>(problem));
  CHECK(std::get<std::string>(problem).find("FDK_TIMEOUT='soon'") != std::string::npos);
  CHECK(std::holds_alternative<std::string>(
      HostEnvironment::from_config(Config(Values{{"mode", "http"}, {"exec_timeout", "-3"}}))));
}

TEST_CASE("tracing and CloudEvents reach the context") {
  auto call = accept(request("POST", "/",
                             Headers{{"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
                                     {"ce-id", "1"}, {"ce-source", "/s"}, {"ce-specversion", "1.0"},
                                     {"ce-type", "t"}, {"Content-Type", "text/plain"}},
                             "data"));
  CHECK(call.context.tracing().trace_id == "4bf92f3577b34da6a3ce929d0e0e4736");
  CHECK(call.context.call_id() == "4bf92f3577b34da6a3ce929d0e0e4736");
  REQUIRE(call.context.cloud_event().has_value());
  CHECK(call.context.cloud_event()->type == "t");
  CHECK(call.context.cloud_event()->datacontenttype == "text/plain");
}

TEST_CASE("a body over the limit is answered 413 without the handler") {
  auto r = request("POST", "/", Headers{{"X-Call-Id", "c1"}});
  r.body_too_large = true;
  r.body_bytes_seen = 9000;
  auto accepted = accept_http_request(std::move(r), host(), function_env(), protocol::ParserLimits{1, 10}, kNow);
  REQUIRE(std::holds_alternative<protocol::Outcome>(accepted));
  auto& outcome = std::get<protocol::Outcome>(accepted);
  CHECK(wire_status(outcome) == 413);
  CHECK(nlohmann::json::parse(outcome.response.body())["call_id"] == "c1");
}

TEST_CASE("the handler's status and headers go on the wire; the FDK owns the framing") {
  auto call = accept(request("GET", "/", Headers{}));
  auto outcome = run(
      [](Context&, std::string_view) {
        return Response::text("made", 201)
            .add_header("Set-Cookie", "a=1")
            .add_header("Set-Cookie", "b=2")
            .add_header("Content-Length", "999")
            .add_header("Connection", "upgrade")
            .add_header("X-Custom", "v");
      },
      call);
  std::string wire = encode_http_response(outcome, false, kNow);
  CHECK(wire.rfind("HTTP/1.1 201 Created\r\n", 0) == 0);
  CHECK(wire.find("Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n") != std::string::npos);
  CHECK(wire.find("X-Custom: v\r\n") != std::string::npos);
  CHECK(wire.find("Content-Type: text/plain; charset=utf-8\r\n") != std::string::npos);
  CHECK(wire.find("Content-Length: 4\r\n") != std::string::npos);
  CHECK(wire.find("999") == std::string::npos);
  CHECK(wire.find("upgrade") == std::string::npos);
  CHECK(wire.find("Date: ") != std::string::npos);
  CHECK(wire.find("Fn-Http-Status") == std::string::npos);
  CHECK(wire.substr(wire.size() - 8) == "\r\n\r\nmade");
  CHECK(encode_http_response(outcome, true, kNow).find("Connection: close\r\n") != std::string::npos);
}

TEST_CASE("a throw is 500 with message and call id; HttpError keeps its status") {
  auto call = accept(request("GET", "/", Headers{{"X-Call-Id", "c2"}}));
  auto failed = run([](Context&, std::string_view) -> Response { throw std::runtime_error("boom"); }, call);
  CHECK(wire_status(failed) == 500);
  auto body = nlohmann::json::parse(failed.response.body());
  CHECK(body["call_id"] == "c2");
  CHECK(body["message"].get<std::string>().find("boom") != std::string::npos);
  CHECK(encode_http_response(failed, false, kNow).rfind("HTTP/1.1 500 ", 0) == 0);

  auto refused = run([](Context&, std::string_view) -> Response { throw HttpError(404, "no such order"); }, call);
  CHECK(wire_status(refused) == 404);
  CHECK(nlohmann::json::parse(refused.response.body())["message"] == "no such order");

  auto late = protocol::to_outcome(core::deadline_result("c2", kNow));
  CHECK(wire_status(late) == 504);
}

TEST_CASE("HEAD, 204 and 304 answers carry no body") {
  protocol::Outcome outcome;
  outcome.response = Response::text("hello");
  outcome.omit_body = true;
  std::string head = encode_http_response(outcome, false, kNow);
  CHECK(head.find("Content-Length: 5\r\n") != std::string::npos);
  CHECK(head.substr(head.size() - 4) == "\r\n\r\n");
  outcome.omit_body = false;
  outcome.response.set_status(204);
  std::string no_content = encode_http_response(outcome, false, kNow);
  CHECK(no_content.find("Content-Length") == std::string::npos);
  CHECK(no_content.substr(no_content.size() - 4) == "\r\n\r\n");
}

TEST_CASE("failure lines carry Cloud Logging's severity beside level") {
  auto line = with_severity(R"({"time":"t","level":"error","call_id":"c","message":"m"})");
  CHECK(line == R"({"time":"t","level":"error","severity":"ERROR","call_id":"c","message":"m"})");
  CHECK(with_severity("not json") == "not json");
}

TEST_CASE("stdio: the watchdog's Http_* variables become the gateway view and headers") {
  Config config(Values{{"Http_Method", "POST"},
                       {"Http_Path", "/some/path"},
                       {"Http_Query", "who=Ada&x=%2F"},
                       {"Http_Host", "gateway:8080"},
                       {"Http_Content_Type", "text/plain"},
                       {"Http_Content_Length", "4"},
                       {"Http_X_Call_Id", "abc"},
                       {"Http_X_Forwarded_Proto", "https"},
                       {"PATH", "/usr/bin"}});
  Headers headers = headers_from_environment(config);
  CHECK(headers.get_or("X-Call-Id", "") == "abc");
  CHECK(headers.get_or("Content-Type", "") == "text/plain");
  CHECK_FALSE(headers.contains("Method"));
  CHECK_FALSE(headers.contains("Content-Length"));
  CHECK_FALSE(headers.contains("PATH"));

  auto call = stdio_call(config, function_env(), 10s, "body", kNow);
  const Context& ctx = call.context;
  CHECK(ctx.call_id() == "abc");
  CHECK(ctx.deadline() == kNow + 10s - 100ms);
  CHECK(ctx.is_gateway());
  CHECK(ctx.gateway().method == "POST");
  CHECK(ctx.gateway().path == "/some/path");
  CHECK(ctx.gateway().raw_query == "who=Ada&x=%2F");
  CHECK(ctx.gateway().query_value("x") == "/");
  CHECK(ctx.gateway().request_url == "https://gateway:8080/some/path?who=Ada&x=%2F");
  CHECK(ctx.content_type() == "text/plain");
  CHECK(call.body == "body");
  CHECK(stdio_call(config, function_env(), std::nullopt, "", kNow).context.deadline() == Context::kNoDeadline);
  CHECK_FALSE(stdio_call(config, function_env(), std::nullopt, "", kNow).context.has_deadline());
  CHECK(ctx.platform() == Platform::stdio);
  CHECK(ctx.platform_attributes().empty());  // the classic watchdog names no mode
  Config serializing(Values{{"Http_Method", "POST"}, {"mode", "serializing"}});
  CHECK(stdio_call(serializing, function_env(), std::nullopt, "", kNow).context.platform_attribute("watchdog_mode") ==
        "serializing");
}

TEST_CASE("the http listener's address: upstream_url, else PORT, else 8080; FDK_HTTP_* override") {
  // Which platform serves is platform/selection's (tests/unit/platform_selection_test.cpp).
  auto endpoint = [](Values values) {
    auto at = std::get<runtime::TcpEndpoint>(runtime::http_endpoint(Config(std::move(values))));
    return at.host + ":" + std::to_string(at.port);
  };
  CHECK(endpoint({{"mode", "http"}, {"upstream_url", "http://127.0.0.1:3000"}, {"PORT", "8080"}}) ==
        "127.0.0.1:3000");
  CHECK(endpoint({{"mode", "http"}, {"http_upstream_url", "http://localhost:3001/"}}) == "localhost:3001");
  CHECK(endpoint({{"upstream_url", "http://127.0.0.1:3000"}, {"PORT", "9090"}}) == "0.0.0.0:9090");  // no mode=http
  CHECK(endpoint({{"PORT", "9090"}, {"K_SERVICE", "greeter"}}) == "0.0.0.0:9090");
  CHECK(endpoint({{"PORT", "9090"}, {"FDK_HTTP_ADDRESS", "127.0.0.1"}, {"FDK_HTTP_PORT", "9191"}}) ==
        "127.0.0.1:9191");
  CHECK(endpoint({{"FDK_HTTP_ADDRESS", "[::1]"}}) == "::1:8080");
  for (Values bad : {Values{{"PORT", "http"}}, Values{{"PORT", "70000"}}, Values{{"PORT", "8080"}, {"FDK_HTTP_PORT", "0"}},
                     Values{{"mode", "http"}, {"upstream_url", "ftp://x"}}}) {
    CHECK(std::holds_alternative<std::string>(runtime::http_endpoint(Config(bad))));
  }
}
