// fdk::testing on every platform: each builder delivers the call as that platform would, and
// invoke() returns what goes on that platform's wire.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <thread>

#include "fdk/fdk.hpp"
#include "fdk/testing.hpp"
#include "stderr_capture.hpp"
#include "testing/platform_calls.hpp"

using namespace std::chrono_literals;
using fdk::testing::Call;
using fdk::testing::invoke;
using nlohmann::json;

namespace {

// Reports what the handler saw, as JSON, so each test can check the mapping.
fdk::Response describe(fdk::Context& ctx, std::string_view body) {
  json seen = {{"platform", fdk::platform_name(ctx.platform())},
               {"call_id", ctx.call_id()},
               {"has_deadline", ctx.has_deadline()},
               {"body", std::string(body)},
               {"content_type", ctx.content_type()},
               {"is_gateway", ctx.is_gateway()},
               {"method", ctx.gateway().method},
               {"url", ctx.gateway().request_url},
               {"scheme", ctx.gateway().scheme},
               {"host", ctx.gateway().host},
               {"path", ctx.gateway().path},
               {"raw_query", ctx.gateway().raw_query},
               {"cookie", ctx.gateway().headers.get_or("Cookie", "")},
               {"accept", ctx.gateway().headers.get_all("Accept")},
               {"x_custom", ctx.gateway().headers.get_or("X-Custom", "")},
               {"fn_name", ctx.fn_name()},
               {"memory_mb", ctx.memory_mb()}};
  seen["name"] = ctx.gateway().query_value("name");
  return fdk::Response::json(seen);
}

fdk::Response wait_for_cancel(fdk::Context& ctx, std::string_view) {
  while (!ctx.cancelled()) std::this_thread::sleep_for(5ms);
  return fdk::Response::text("too late");
}

fdk::Response throws(fdk::Context&, std::string_view) { throw std::runtime_error("boom"); }

fdk::Response not_found(fdk::Context&, std::string_view) { throw fdk::HttpError(404, "no such pet"); }

fdk::Response binary_echo(fdk::Context&, std::string_view body) {
  fdk::Response response;
  response.set_body(std::string(body)).set_content_type("application/octet-stream");
  return response;
}

fdk::Response with_cookies(fdk::Context&, std::string_view) {
  return fdk::Response::text("made", 201)
      .add_header("Set-Cookie", "a=1")
      .add_header("Set-Cookie", "b=2")
      .add_header("X-Reply", "yes");
}

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

TEST_CASE("fdk::testing Fn calls still show the agent's view, now with the wire bytes") {
  auto result = invoke(describe, Call{}.with_body("hi"));
  CHECK(result.platform == fdk::Platform::fn);
  CHECK(result.agent_status == 200);
  CHECK(result.wire.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(ends_with(result.wire, result.body));
  CHECK(result.json()["platform"] == "fn");
}

TEST_CASE("Call::lambda: a raw event is the handler's body and the answer is posted to /response") {
  auto call = Call::lambda(R"({"detail":"x"})").with_call_id("req-1").with_config("AWS_LAMBDA_FUNCTION_NAME", "pets")
                  .with_config("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "256");
  auto result = invoke(describe, call);
  CHECK(result.platform == fdk::Platform::lambda);
  CHECK(result.runtime_api_path == "/2018-06-01/runtime/invocation/req-1/response");
  CHECK(result.status == 200);
  CHECK(result.agent_status == 0);
  CHECK(result.wire == result.body);
  CHECK(result.content_type == "application/json");
  auto seen = result.json();
  CHECK(seen["platform"] == "lambda");
  CHECK(seen["call_id"] == "req-1");
  CHECK(seen["body"] == R"({"detail":"x"})");
  CHECK(seen["is_gateway"] == false);
  CHECK(seen["has_deadline"] == true);
  CHECK(seen["fn_name"] == "pets");
  CHECK(seen["memory_mb"] == 256);
}

TEST_CASE("Call::lambda: a throw is posted to /error with the exception's type") {
  std::string log = fdk::test::capture_stderr([] {
    auto result = invoke(throws, Call::lambda("{}").with_call_id("req-2"));
    CHECK(result.runtime_api_path == "/2018-06-01/runtime/invocation/req-2/error");
    CHECK(result.status == 0);
    CHECK(result.wire_headers.get_or("Lambda-Runtime-Function-Error-Type", "") == "Runtime.UnhandledException");
    CHECK(result.json()["errorType"] == "std::runtime_error");
    CHECK(result.json()["errorMessage"] == "The function's handler failed: boom");
  });
  CHECK(log.find("boom") != std::string::npos);
}

TEST_CASE("Call::lambda: past the deadline nothing is posted (Lambda stops the runtime)") {
  fdk::test::capture_stderr([] {
    auto call = Call::lambda("{}").with_timeout(300ms);
    call.options.deadline_margin = 100ms;
    auto result = invoke(wait_for_cancel, call);
    CHECK(result.runtime_api_path.empty());
    CHECK(result.wire.empty());
    CHECK(result.status == 0);
  });
}

TEST_CASE("Call::lambda_http_api: the caller's request arrives as payload 2.0, the answer as its JSON") {
  auto call = Call::lambda_http_api("POST", "https://abc.lambda-url.us-east-1.on.aws/pets/dog?name=Rex%20II&x=1")
                  .with_header("Cookie", "c1=v1; c2=v2")
                  .with_header("X-Custom", "v")
                  .with_content_type("text/plain")
                  .with_body("woof");
  auto event = json::parse(fdk::testing::detail::lambda_event_json(call));
  CHECK(event["version"] == "2.0");
  CHECK(event["rawPath"] == "/pets/dog");
  CHECK(event["rawQueryString"] == "name=Rex%20II&x=1");
  CHECK(event["cookies"] == json::array({"c1=v1", "c2=v2"}));
  CHECK(event["headers"]["x-custom"] == "v");
  CHECK_FALSE(event["headers"].contains("cookie"));
  CHECK(event["requestContext"]["http"]["method"] == "POST");
  CHECK(event["body"] == "woof");

  auto seen = invoke(describe, call).json();
  CHECK(seen["is_gateway"] == true);
  CHECK(seen["method"] == "POST");
  CHECK(seen["url"] == "https://abc.lambda-url.us-east-1.on.aws/pets/dog?name=Rex%20II&x=1");
  CHECK(seen["name"] == "Rex II");
  CHECK(seen["cookie"] == "c1=v1; c2=v2");
  CHECK(seen["body"] == "woof");
  CHECK(seen["content_type"] == "text/plain");

  auto answer = invoke(with_cookies, call);
  CHECK(answer.status == 201);
  CHECK(answer.body == "made");
  CHECK(answer.headers.get_all("Set-Cookie") == std::vector<std::string>{"a=1", "b=2"});
  CHECK(answer.headers.get_or("X-Reply", "") == "yes");
  CHECK(json::parse(answer.wire)["cookies"] == json::array({"a=1", "b=2"}));
}

TEST_CASE("Call::lambda_http_api: bytes that are not UTF-8 travel base64-encoded both ways") {
  const std::string bytes("\xff\x00\x01", 3);
  auto call = Call::lambda_http_api("PUT", "/blob").with_body(bytes);
  CHECK(json::parse(fdk::testing::detail::lambda_event_json(call))["isBase64Encoded"] == true);
  auto result = invoke(binary_echo, call);
  CHECK(result.status == 200);
  CHECK(result.body == bytes);
  CHECK(json::parse(result.wire)["isBase64Encoded"] == true);
}

TEST_CASE("Call::lambda_rest_api: payload 1.0 with multi-value headers and decoded query values") {
  auto call = Call::lambda_rest_api("GET", "https://api.example.com/pets?name=a%26b")
                  .with_header("Accept", "text/plain")
                  .with_header("Accept", "application/json");
  auto event = json::parse(fdk::testing::detail::lambda_event_json(call));
  CHECK(event["httpMethod"] == "GET");
  CHECK(event["multiValueHeaders"]["Accept"] == json::array({"text/plain", "application/json"}));
  CHECK(event["queryStringParameters"]["name"] == "a&b");
  CHECK(event["body"].is_null());

  auto seen = invoke(describe, call).json();
  CHECK(seen["accept"] == json::array({"text/plain", "application/json"}));
  CHECK(seen["name"] == "a&b");
  auto answer = invoke(with_cookies, call);
  CHECK(answer.status == 201);
  CHECK(json::parse(answer.wire)["multiValueHeaders"]["set-cookie"] == json::array({"a=1", "b=2"}));
  CHECK(answer.headers.get_all("set-cookie").size() == 2);
}

TEST_CASE("Call::lambda_alb: the load balancer's event; an HttpError is the caller's answer") {
  auto call = Call::lambda_alb("GET", "http://lb.example.com/pets?name=x%20y");
  auto event = json::parse(fdk::testing::detail::lambda_event_json(call));
  CHECK(event["requestContext"].contains("elb"));
  CHECK(event["queryStringParameters"]["name"] == "x%20y");  // as sent
  CHECK(event["headers"]["x-forwarded-proto"] == "http");

  auto seen = invoke(describe, call).json();
  CHECK(seen["scheme"] == "http");
  CHECK(seen["name"] == "x y");
  fdk::test::capture_stderr([&] {
    auto result = invoke(not_found, call);
    CHECK(result.status == 404);
    CHECK(json::parse(result.wire)["statusDescription"] == "404 Not Found");
    CHECK(result.json()["message"] == "no such pet");
  });
}

TEST_CASE("Call::http: the caller's request on an HTTP host, the HTTP response as sent") {
  auto call = Call::http("GET", "https://hello.example.run.app/greet?name=Ada")
                  .with_header("X-Custom", "v")
                  .with_config("K_SERVICE", "hello");
  auto result = invoke(describe, call);
  CHECK(result.platform == fdk::Platform::http);
  CHECK(result.status == 200);
  CHECK(result.wire.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
  CHECK(result.headers.contains("Date"));
  CHECK(result.headers.get_or("Content-Length", "") == std::to_string(result.body.size()));
  auto seen = result.json();
  CHECK(seen["platform"] == "http");
  CHECK(seen["scheme"] == "https");  // X-Forwarded-Proto, as Cloud Run sends it
  CHECK(seen["host"] == "hello.example.run.app");
  CHECK(seen["path"] == "/greet");
  CHECK(seen["name"] == "Ada");
  CHECK(seen["x_custom"] == "v");
  CHECK(seen["fn_name"] == "hello");
  CHECK(seen["has_deadline"] == false);  // HTTP hosts send none
  CHECK(seen["call_id"].get<std::string>().size() == 32);  // made up by the FDK

  auto with_id = invoke(describe, Call::http("GET", "/").with_call_id("call-7").with_timeout(5s)).json();
  CHECK(with_id["call_id"] == "call-7");
  CHECK(with_id["has_deadline"] == true);

  auto answer = invoke(with_cookies, Call::http("POST", "/"));
  CHECK(answer.status == 201);
  CHECK(answer.headers.get_all("Set-Cookie") == std::vector<std::string>{"a=1", "b=2"});
}

TEST_CASE("Call::http: failures, HEAD, size limit and deadline as the HTTP server answers them") {
  fdk::test::capture_stderr([] {
    auto failed = invoke(throws, Call::http("GET", "/").with_call_id("c-9"));
    CHECK(failed.status == 500);
    CHECK(failed.json()["call_id"] == "c-9");

    auto head = invoke(describe, Call::http("HEAD", "/"));
    CHECK(head.status == 200);
    CHECK(head.body.empty());
    CHECK(head.headers.contains("Content-Length"));

    auto call = Call::http("POST", "/").with_body("too large");
    call.options.max_body_bytes = 4;
    CHECK(invoke(describe, call).status == 413);

    auto late = Call::http("GET", "/").with_timeout(300ms);
    late.options.deadline_margin = 100ms;
    CHECK(invoke(wait_for_cancel, late).status == 504);

    auto big_head = Call::http("GET", "/").with_header("X-Long", std::string(200, 'x'));
    big_head.options.max_header_bytes = 100;
    auto refused = invoke(describe, big_head);
    CHECK(refused.status == 400);
    CHECK(refused.headers.get_or("Connection", "") == "close");
  });
}

TEST_CASE("Call::stdio: the watchdog's Http_* variables and stdin; stdout and the exit status") {
  auto call = Call::stdio("POST", "/fn?name=Ada").with_header("X-Custom", "v").with_body("in");
  auto variables = fdk::testing::detail::watchdog_variables(call.with_header("x_under", "u"));
  CHECK(variables["Http_Method"] == "POST");
  CHECK(variables["Http_Path"] == "/fn");
  CHECK(variables["Http_Query"] == "name=Ada");
  CHECK(variables["Http_X_Custom"] == "v");
  CHECK(variables["Http_X_under"] == "u");

  auto result = invoke(describe, call);
  CHECK(result.platform == fdk::Platform::stdio);
  CHECK(result.exit_code == 0);
  CHECK(result.status == 200);
  CHECK(result.wire == result.body);
  auto seen = result.json();
  CHECK(seen["platform"] == "stdio");
  CHECK(seen["body"] == "in");
  CHECK(seen["name"] == "Ada");
  CHECK(seen["x_custom"] == "v");
  CHECK(seen["has_deadline"] == false);

  fdk::test::capture_stderr([] {
    auto failed = invoke(not_found, Call::stdio("GET", "/"));
    CHECK(failed.exit_code == 1);
    CHECK(failed.status == 500);  // the watchdog cannot carry the 404
    CHECK(failed.json()["message"] == "no such pet");

    auto late = Call::stdio("GET", "/").with_config("exec_timeout", "300ms");
    late.options.deadline_margin = 100ms;
    CHECK(invoke(wait_for_cancel, late).exit_code == 1);
  });
}

TEST_CASE("each builder carries its platform's attributes and events as the platform sends them") {
  auto attributes = [](fdk::Context& ctx, std::string_view) {
    json seen = json::object();
    for (const auto& [name, value] : ctx.platform_attributes()) seen[name] = value;
    if (ctx.cloud_event()) seen["ce_type"] = ctx.cloud_event()->type;
    if (ctx.tracing().enabled) seen["traced"] = ctx.tracing().trace_id;
    return fdk::Response::json(seen);
  };
  auto lambda = invoke(attributes, Call::lambda("{}")
                                       .with_header("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:x")
                                       .with_header("Lambda-Runtime-Trace-Id", "Root=1-abc;Parent=def;Sampled=1")
                                       .with_config("AWS_LAMBDA_FUNCTION_VERSION", "7"));
  CHECK(lambda.json()["invoked_function_arn"] == "arn:aws:lambda:x");
  CHECK(lambda.json()["function_version"] == "7");
  CHECK(lambda.json()["traced"] == "1-abc");

  auto knative = invoke(attributes, Call::http("POST", "/")
                                        .with_config("K_REVISION", "hello-00002")
                                        .with_header("ce-id", "1")
                                        .with_header("ce-source", "/src")
                                        .with_header("ce-specversion", "1.0")
                                        .with_header("ce-type", "dev.example.ping"));
  CHECK(knative.json()["revision"] == "hello-00002");
  CHECK(knative.json()["ce_type"] == "dev.example.ping");

  auto serializing = invoke(attributes, Call::stdio("POST", "/").with_config("mode", "serializing"));
  CHECK(serializing.json()["watchdog_mode"] == "serializing");
}

TEST_CASE("Call::lambda: events the handler must not see are answered as the runtime answers them") {
  fdk::test::capture_stderr([] {
    // Any JSON goes: an HTTP event written by hand is recognised by its shape, as on Lambda.
    auto bad_base64 = invoke(describe, Call::lambda(R"({"version":"2.0","rawPath":"/","requestContext":)"
                                                    R"({"http":{"method":"POST"}},"body":"!!","isBase64Encoded":true})"));
    CHECK(ends_with(bad_base64.runtime_api_path, "/response"));
    CHECK(bad_base64.status == 400);
    CHECK(bad_base64.json()["message"].get<std::string>().find("base64") != std::string::npos);

    auto oversize = invoke(describe, Call::lambda(std::string(8u << 20, ' ')));
    CHECK(ends_with(oversize.runtime_api_path, "/error"));
    CHECK(oversize.wire_headers.get_or("Lambda-Runtime-Function-Error-Type", "") == "Function.RequestTooLarge");
  });
}
