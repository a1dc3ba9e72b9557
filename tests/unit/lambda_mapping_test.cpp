#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "encoding/base64.hpp"
#include "lambda/exception_type.hpp"
#include "lambda/http_event.hpp"
#include "lambda/invocation_mapping.hpp"
#include "lambda/next_event.hpp"
#include "lambda/runtime_api_address.hpp"
#include "lambda/runtime_post.hpp"

using namespace fdk::lambda;
using nlohmann::json;

namespace {

fdk::http::RawResponse next_answer(fdk::Headers headers, std::string body, int status = 200) {
  fdk::http::RawResponse response;
  response.status = status;
  response.headers = std::move(headers);
  response.body = std::move(body);
  return response;
}

// Shapes as the services send them (field names from the AWS payload documentation).
const char* const kHttpApiV2 = R"({
  "version": "2.0", "routeKey": "$default", "rawPath": "/my/path", "rawQueryString": "a=1&a=2&q=x%20y",
  "cookies": ["c1=v1", "c2=v2"],
  "headers": {"host": "abc.lambda-url.us-east-1.on.aws", "x-do": "echo", "content-type": "text/plain"},
  "queryStringParameters": {"a": "1,2", "q": "x y"},
  "requestContext": {"domainName": "abc.lambda-url.us-east-1.on.aws", "requestId": "r1",
                     "http": {"method": "POST", "path": "/my/path", "protocol": "HTTP/1.1",
                              "sourceIp": "192.0.2.1", "userAgent": "curl"}},
  "body": "aGVsbG8=", "isBase64Encoded": true})";

const char* const kRestV1 = R"({
  "resource": "/{proxy+}", "path": "/pets/dog", "httpMethod": "GET",
  "headers": {"Host": "api.example.com", "Accept": "b"},
  "multiValueHeaders": {"Host": ["api.example.com"], "Accept": ["a", "b"]},
  "queryStringParameters": {"name": "x y"},
  "multiValueQueryStringParameters": {"name": ["x y", "&z"]},
  "requestContext": {"stage": "prod", "path": "/prod/pets/dog"},
  "body": null, "isBase64Encoded": false})";

const char* const kAlb = R"({
  "requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:..."}},
  "httpMethod": "PUT", "path": "/lb", "queryStringParameters": {"k": "v%20w"},
  "headers": {"host": "lb.example.com", "content-type": "application/json"},
  "body": "{\"x\":1}", "isBase64Encoded": false})";

}  // namespace

TEST_CASE("AWS_LAMBDA_RUNTIME_API is an opaque authority with an optional path prefix") {
  auto plain = std::get<RuntimeApiAddress>(parse_runtime_api_address("127.0.0.1:9001"));
  CHECK(plain.host == "127.0.0.1");
  CHECK(plain.port == 9001);
  CHECK(plain.authority == "127.0.0.1:9001");
  CHECK(plain.next_target() == "/2018-06-01/runtime/invocation/next");
  CHECK(plain.response_target("8476a536-e9f4") == "/2018-06-01/runtime/invocation/8476a536-e9f4/response");
  CHECK(plain.error_target("id") == "/2018-06-01/runtime/invocation/id/error");
  CHECK(plain.init_error_target() == "/2018-06-01/runtime/init/error");

  auto prefixed = std::get<RuntimeApiAddress>(parse_runtime_api_address("localhost:3000/req-42/"));
  CHECK(prefixed.prefix == "/req-42");
  CHECK(prefixed.next_target() == "/req-42/2018-06-01/runtime/invocation/next");

  // A request id cannot walk out of its path segment.
  CHECK(plain.response_target("../init/x") == "/2018-06-01/runtime/invocation/..%2Finit%2Fx/response");
}

TEST_CASE("a bad AWS_LAMBDA_RUNTIME_API is one sentence naming the variable") {
  for (const char* bad : {"", "http://127.0.0.1:9001", "127.0.0.1:99999", "host:port", "127.0.0.1:9001/x?y=1"}) {
    auto result = parse_runtime_api_address(bad);
    REQUIRE_MESSAGE(std::holds_alternative<std::string>(result), bad);
    CHECK(std::get<std::string>(result).rfind("AWS_LAMBDA_RUNTIME_API is '", 0) == 0);
  }
}

TEST_CASE("the next answer's headers become the invocation's facts") {
  auto event = std::get<NextEvent>(read_next_event(next_answer(
      {{"Lambda-Runtime-Aws-Request-Id", "8476a536"},
       {"Lambda-Runtime-Deadline-Ms", "1790000000123"},
       {"Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:f"},
       {"Lambda-Runtime-Trace-Id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1"},
       {"Lambda-Runtime-Client-Context", "{\"client\":{}}"},
       {"Lambda-Runtime-Cognito-Identity", "{\"cognitoIdentityId\":\"x\"}"},
       {"Content-Type", "application/json"}},
      R"({"name":"Ada"})")));
  CHECK(event.request_id == "8476a536");
  REQUIRE(event.deadline.has_value());
  CHECK(std::chrono::duration_cast<std::chrono::milliseconds>(event.deadline->time_since_epoch()).count() ==
        1790000000123);
  CHECK(event.trace_id.rfind("Root=1-5bef4de7", 0) == 0);
  CHECK(event.attributes.at("invoked_function_arn") == "arn:aws:lambda:us-east-1:123456789012:function:f");
  CHECK(event.attributes.at("client_context") == "{\"client\":{}}");
  CHECK(event.attributes.at("cognito_identity") == "{\"cognitoIdentityId\":\"x\"}");
  CHECK(event.attributes.count("tenant_id") == 0);
  CHECK(event.headers.get_or("Content-Type", "") == "application/json");
  CHECK(event.body == R"({"name":"Ada"})");
}

TEST_CASE("an implausible Deadline-Ms is no deadline, not a call that is already late") {
  CHECK_FALSE(deadline_from_epoch_ms("5000").has_value());  // an emulator's timeout, not an instant
  CHECK_FALSE(deadline_from_epoch_ms("999999999999").has_value());
  CHECK_FALSE(deadline_from_epoch_ms("-1790000000000").has_value());
  CHECK_FALSE(deadline_from_epoch_ms("1790000000000.5").has_value());
  CHECK_FALSE(deadline_from_epoch_ms("99999999999999").has_value());  // past 2200
  CHECK_FALSE(deadline_from_epoch_ms("").has_value());
  CHECK(deadline_from_epoch_ms("1000000000000").has_value());
}

TEST_CASE("a next answer that cannot be served says why") {
  auto no_id = read_next_event(next_answer({{"Lambda-Runtime-Deadline-Ms", "1790000000000"}}, "{}"));
  REQUIRE(std::holds_alternative<std::string>(no_id));
  CHECK(std::get<std::string>(no_id).find("Lambda-Runtime-Aws-Request-Id") != std::string::npos);
  auto refused = read_next_event(next_answer({}, "", 500));
  REQUIRE(std::holds_alternative<std::string>(refused));
  CHECK(std::get<std::string>(refused).find("answered 500") != std::string::npos);
}

TEST_CASE("process attributes come from Lambda's reserved variables") {
  auto attributes = process_attributes(fdk::Config({{"AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"},
                                                    {"AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/f"},
                                                    {"AWS_LAMBDA_LOG_STREAM_NAME", "2026/11/30/[$LATEST]abc"}}));
  CHECK(attributes.at("function_version") == "$LATEST");
  CHECK(attributes.at("log_group") == "/aws/lambda/f");
  CHECK(attributes.at("log_stream") == "2026/11/30/[$LATEST]abc");
  CHECK(process_attributes(fdk::Config()).empty());
}

TEST_CASE("raw events are not HTTP events") {
  CHECK_FALSE(read_http_event(R"({"name":"Ada"})").has_value());
  CHECK_FALSE(read_http_event(R"([1,2])").has_value());
  CHECK_FALSE(read_http_event("not json").has_value());
  CHECK_FALSE(read_http_event(R"({"version":"2.0"})").has_value());  // no requestContext.http
  CHECK_FALSE(read_http_event(R"({"Records":[{"eventSource":"aws:s3"}]})").has_value());
}

TEST_CASE("payload 2.0: method, raw path and query, headers, cookies re-joined, base64 body decoded") {
  auto event = read_http_event(kHttpApiV2);
  REQUIRE(event.has_value());
  CHECK(event->shape == EventShape::api_gateway_v2);
  CHECK(event->problem.empty());
  CHECK(event->gateway.method == "POST");
  CHECK(event->gateway.path == "/my/path");
  CHECK(event->gateway.request_url == "https://abc.lambda-url.us-east-1.on.aws/my/path?a=1&a=2&q=x%20y");
  CHECK(event->gateway.scheme == "https");
  CHECK(event->gateway.host == "abc.lambda-url.us-east-1.on.aws");
  CHECK(event->gateway.raw_query == "a=1&a=2&q=x%20y");
  REQUIRE(event->gateway.query.size() == 3);
  CHECK(event->gateway.query[1] == std::pair<std::string, std::string>("a", "2"));
  CHECK(event->gateway.query_value("q") == "x y");
  CHECK(event->gateway.headers.get_or("X-Do", "") == "echo");
  CHECK(event->gateway.headers.get_or("Cookie", "") == "c1=v1; c2=v2");
  CHECK(event->body == "hello");
  CHECK_FALSE(event->multi_value_headers);
}

TEST_CASE("payload 1.0 (REST): multi-value headers and a query rebuilt and re-encoded") {
  auto event = read_http_event(kRestV1);
  REQUIRE(event.has_value());
  CHECK(event->shape == EventShape::api_gateway_v1);
  CHECK(event->gateway.method == "GET");
  CHECK(event->gateway.path == "/pets/dog");
  CHECK(event->gateway.request_url == "https://api.example.com/pets/dog?name=x%20y&name=%26z");
  CHECK(event->gateway.raw_query == "name=x%20y&name=%26z");
  CHECK(event->gateway.headers.get_all("Accept") == std::vector<std::string>{"a", "b"});
  REQUIRE(event->gateway.query.size() == 2);
  CHECK(event->gateway.query[1].second == "&z");
  CHECK(event->body.empty());
  CHECK(event->multi_value_headers);
}

TEST_CASE("ALB: told apart by requestContext.elb; query values passed as the caller sent them") {
  auto event = read_http_event(kAlb);
  REQUIRE(event.has_value());
  CHECK(event->shape == EventShape::alb);
  CHECK(event->gateway.method == "PUT");
  CHECK(event->gateway.request_url == "https://lb.example.com/lb?k=v%20w");
  CHECK(event->gateway.query_value("k") == "v w");
  CHECK(event->body == R"({"x":1})");
  CHECK_FALSE(event->multi_value_headers);
}

TEST_CASE("an HTTP event whose base64 body is broken is a problem for the caller, not a crash") {
  auto event = read_http_event(R"({"version": "2.0", "rawPath": "/", "requestContext": {"http": {"method": "POST"}},
                                   "body": "!!", "isBase64Encoded": true})");
  REQUIRE(event.has_value());
  CHECK(event->problem.find("not valid base64") != std::string::npos);
}

TEST_CASE("payload 2.0 answer: status, headers, Set-Cookie moved to cookies, text body") {
  auto event = *read_http_event(kHttpApiV2);
  auto response = fdk::Response::text("hi", 201).add_header("Set-Cookie", "a=1; Path=/").add_header("Set-Cookie", "b=2")
                      .add_header("X-Multi", "1").add_header("X-Multi", "2");
  auto answer = json::parse(http_event_answer(event, response));
  CHECK(answer["statusCode"] == 201);
  CHECK(answer["headers"]["content-type"] == "text/plain; charset=utf-8");
  CHECK(answer["headers"]["x-multi"] == "1, 2");
  CHECK_FALSE(answer["headers"].contains("set-cookie"));
  CHECK(answer["cookies"] == json::array({"a=1; Path=/", "b=2"}));
  CHECK(answer["body"] == "hi");
  CHECK(answer["isBase64Encoded"] == false);
}

TEST_CASE("binary bodies are base64-encoded and flagged") {
  auto event = *read_http_event(kHttpApiV2);
  std::string png("\x89PNG\r\n\x1a\n\0\xff", 10);
  auto answer = json::parse(http_event_answer(event, fdk::Response().set_body(png).set_content_type("image/png")));
  CHECK(answer["isBase64Encoded"] == true);
  CHECK(fdk::encoding::base64_decode(answer["body"].get<std::string>()) == png);
  // Text that is not UTF-8 cannot be a JSON string either.
  auto latin1 = json::parse(http_event_answer(event, fdk::Response::text("caf\xe9")));
  CHECK(latin1["isBase64Encoded"] == true);
  auto octets = json::parse(
      http_event_answer(event, fdk::Response().set_body("abc").set_content_type("application/octet-stream")));
  CHECK(octets["isBase64Encoded"] == true);
}

TEST_CASE("text content types") {
  for (const char* text : {"text/html", "application/json", "application/problem+json; charset=utf-8",
                           "application/xml", "image/svg+xml", "application/x-www-form-urlencoded", "TEXT/CSV"}) {
    CHECK_MESSAGE(is_text_content_type(text), text);
  }
  for (const char* binary : {"image/png", "application/octet-stream", "application/pdf", ""}) {
    CHECK_FALSE_MESSAGE(is_text_content_type(binary), binary);
  }
}

TEST_CASE("REST and multi-value ALB answers use multiValueHeaders; single-value ALB answers add a status line") {
  auto cookies = fdk::Response::text("x", 404).add_header("Set-Cookie", "a=1").add_header("Set-Cookie", "b=2");
  auto rest = json::parse(http_event_answer(*read_http_event(kRestV1), cookies));
  CHECK(rest["statusCode"] == 404);
  CHECK(rest["multiValueHeaders"]["set-cookie"] == json::array({"a=1", "b=2"}));
  CHECK(rest["multiValueHeaders"]["content-type"] == json::array({"text/plain; charset=utf-8"}));
  CHECK_FALSE(rest.contains("cookies"));

  auto alb = json::parse(http_event_answer(*read_http_event(kAlb), fdk::Response::json({{"ok", true}}, 503)));
  CHECK(alb["statusDescription"] == "503 Service Unavailable");
  CHECK(alb["headers"]["content-type"] == "application/json");
  CHECK(alb["body"] == R"({"ok":true})");
}

TEST_CASE("raw event answers: the body with its content type, the status dropped") {
  auto post = answer_post(std::nullopt, fdk::Response::json({{"a", 1}}, 418));
  CHECK(post.endpoint == RuntimePost::Endpoint::response);
  CHECK(post.body == R"({"a":1})");
  CHECK(post.headers.get_or("Content-Type", "") == "application/json");
  auto http = answer_post(read_http_event(kHttpApiV2), fdk::Response::text("t"));
  CHECK(http.headers.get_or("Content-Type", "") == "application/json");
  CHECK(json::parse(http.body)["body"] == "t");
}

TEST_CASE("errors: Lambda's JSON shape, a header type the Runtime API accepts, the HttpError status") {
  auto post = error_post({std::string(kUnhandledException), "std::runtime_error", "boom", std::nullopt});
  CHECK(post.endpoint == RuntimePost::Endpoint::error);
  CHECK(post.headers.get_or("Lambda-Runtime-Function-Error-Type", "") == "Runtime.UnhandledException");
  auto body = json::parse(post.body);
  CHECK(body == json{{"errorMessage", "boom"}, {"errorType", "std::runtime_error"}, {"stackTrace", json::array()}});

  auto http_error = json::parse(error_post({std::string(kHttpErrorType), "HttpError", "no", 404}).body);
  CHECK(http_error["statusCode"] == 404);
  CHECK(error_post({std::string(kInitError), "InitError", "x", {}}, RuntimePost::Endpoint::init_error).endpoint ==
        RuntimePost::Endpoint::init_error);
  // Bytes that are not UTF-8 in a message are replaced, never a reason to lose the report.
  auto replaced = json::parse(error_post({std::string(kUnhandledException), "E", "bad \xff byte", {}}).body);
  CHECK(replaced["errorMessage"] == "bad \xEF\xBF\xBD byte");
}

TEST_CASE("every error header type matches the Runtime API's pattern") {
  for (std::string_view type : {kUnhandledException, kHttpErrorType, kResponseTooLarge, kRequestTooLarge, kBadRequest,
                                kTimeout, kUnavailable, kInitError}) {
    auto dot = type.find('.');
    REQUIRE(dot != std::string_view::npos);
    CHECK((type.substr(0, dot) == "Runtime" || type.substr(0, dot) == "Function"));
    CHECK((type[dot + 1] >= 'A' && type[dot + 1] <= 'Z'));
    CHECK(type.substr(dot + 1).find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
          std::string_view::npos);
  }
}

TEST_CASE("a response above 6 MB becomes a ResponseSizeTooLarge error before it is posted") {
  auto fits = within_size_limit(answer_post(std::nullopt, fdk::Response::text(std::string(kMaxResponseBytes, 'x'))));
  CHECK(fits.endpoint == RuntimePost::Endpoint::response);
  auto too_big =
      within_size_limit(answer_post(std::nullopt, fdk::Response::text(std::string(kMaxResponseBytes + 1, 'x'))));
  CHECK(too_big.endpoint == RuntimePost::Endpoint::error);
  CHECK(too_big.headers.get_or("Lambda-Runtime-Function-Error-Type", "") == "Function.ResponseSizeTooLarge");
  CHECK(json::parse(too_big.body)["errorMessage"].get<std::string>().find("6291457 bytes") != std::string::npos);
  // Base64 grows a binary HTTP answer by a third: the check is on what is posted.
  auto binary = fdk::Response().set_body(std::string(5 * 1024 * 1024, '\xff')).set_content_type("image/png");
  CHECK(within_size_limit(answer_post(read_http_event(kHttpApiV2), binary)).endpoint == RuntimePost::Endpoint::error);
}

TEST_CASE("the FDK's JSON error bodies give their message") {
  CHECK(error_message_of(fdk::Response::json({{"message", "m"}, {"call_id", "c"}})) == "m");
  CHECK(error_message_of(fdk::Response::text("plain")) == "plain");
}

TEST_CASE("the exception type is demangled inside a catch block and empty outside") {
  CHECK(current_exception_type().empty());
  try {
    throw std::out_of_range("x");
  } catch (...) {
    CHECK(current_exception_type() == "std::out_of_range");
  }
  try {
    throw 42;
  } catch (...) {
    CHECK(current_exception_type() == "int");
  }
}

TEST_CASE("a raw event becomes an Invocation: request id, deadline, attributes, the event as body") {
  auto event = std::get<NextEvent>(read_next_event(next_answer(
      {{"Lambda-Runtime-Aws-Request-Id", "req-1"},
       {"Lambda-Runtime-Deadline-Ms", "1790000000000"},
       {"Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:1:function:f"},
       {"Lambda-Runtime-Trace-Id", "Root=1-abc-def;Parent=0123;Sampled=1"},
       {"Content-Type", "application/json"}},
      R"({"name":"Ada"})")));
  auto function = function_identity(std::make_shared<const fdk::Config>(
      fdk::Config({{"AWS_LAMBDA_FUNCTION_NAME", "f"}, {"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512"}})));
  CHECK(function.fn_name == "f");
  CHECK(function.memory_mb == 512);
  auto invocation = invocation_from(std::move(event), std::nullopt, function, {{"function_version", "7"}});
  CHECK(invocation.platform == fdk::Platform::lambda);
  CHECK(invocation.call_id == "req-1");
  REQUIRE(invocation.deadline.has_value());
  CHECK(invocation.body == R"({"name":"Ada"})");
  CHECK(invocation.content_type == "application/json");
  CHECK_FALSE(invocation.gateway.has_value());
  CHECK(invocation.platform_attributes.at("invoked_function_arn") == "arn:aws:lambda:eu-west-1:1:function:f");
  CHECK(invocation.platform_attributes.at("function_version") == "7");
  CHECK(invocation.tracing.enabled);
  CHECK(invocation.tracing.trace_id == "1-abc-def");
  CHECK(invocation.tracing.span_id == "0123");
  CHECK(invocation.tracing.sampled);
  CHECK(invocation.headers.get_or("Lambda-Runtime-Aws-Request-Id", "") == "req-1");
}

TEST_CASE("an HTTP event becomes an Invocation with the caller's request") {
  auto event = std::get<NextEvent>(read_next_event(next_answer(
      {{"Lambda-Runtime-Aws-Request-Id", "req-2"}, {"Lambda-Runtime-Deadline-Ms", "5000"}}, kHttpApiV2)));
  auto http = read_http_event(event.body);
  auto function = function_identity(std::make_shared<const fdk::Config>());
  auto invocation = invocation_from(std::move(event), http, function, {});
  CHECK_FALSE(invocation.deadline.has_value());  // 5000 is not an instant
  REQUIRE(invocation.gateway.has_value());
  CHECK(invocation.gateway->method == "POST");
  CHECK(invocation.body == "hello");
  CHECK(invocation.content_type == "text/plain");
  CHECK_FALSE(invocation.tracing.enabled);
}

TEST_CASE("each CallResult kind is posted where Lambda expects it") {
  using fdk::core::ResultKind;
  auto http = read_http_event(kHttpApiV2);
  auto ok = fdk::core::CallResult{ResultKind::ok, fdk::Response::text("fine"), {}};
  CHECK(post_for(std::nullopt, ok, "").body == "fine");
  CHECK(json::parse(post_for(http, ok, "").body)["statusCode"] == 200);

  auto http_error = fdk::core::http_error_result("id", 409, "taken");
  auto raw_error = post_for(std::nullopt, http_error, "");
  CHECK(raw_error.endpoint == RuntimePost::Endpoint::error);
  CHECK(json::parse(raw_error.body)["errorType"] == "HttpError");
  CHECK(json::parse(raw_error.body)["errorMessage"] == "taken");
  CHECK(json::parse(raw_error.body)["statusCode"] == 409);
  auto http_answer = post_for(http, http_error, "");
  CHECK(http_answer.endpoint == RuntimePost::Endpoint::response);
  CHECK(json::parse(http_answer.body)["statusCode"] == 409);

  auto failed = post_for(http, fdk::core::handler_failed_result("id", "boom"), "std::logic_error");
  CHECK(failed.endpoint == RuntimePost::Endpoint::error);
  CHECK(failed.headers.get_or("Lambda-Runtime-Function-Error-Type", "") == "Runtime.UnhandledException");
  CHECK(json::parse(failed.body)["errorType"] == "std::logic_error");
  CHECK(json::parse(failed.body)["errorMessage"] == "The function's handler failed: boom");
  // A Response the handler returned but that cannot be sent: no exception type to name.
  CHECK(json::parse(post_for(std::nullopt, fdk::core::handler_failed_result("id", "bad"), "").body)["errorType"] ==
        "HandlerFailed");

  auto late = post_for(std::nullopt, fdk::core::deadline_result("id", std::chrono::system_clock::now()), "");
  CHECK(late.headers.get_or("Lambda-Runtime-Function-Error-Type", "") == "Runtime.Timeout");
  auto refused = post_for(http, fdk::core::bad_request_result("id", "bad base64"), "");
  CHECK(json::parse(refused.body)["statusCode"] == 400);
  auto busy = post_for(http, fdk::core::unavailable_result("id", "no thread"), "");
  CHECK(busy.headers.get_or("Lambda-Runtime-Function-Error-Type", "") == "Runtime.Unavailable");
  auto oversize = fdk::Response::text(std::string(kMaxResponseBytes + 1, 'x'));
  auto too_big = fdk::core::CallResult{ResultKind::ok, oversize, {}};
  CHECK(post_for(std::nullopt, too_big, "").headers.get_or("Lambda-Runtime-Function-Error-Type", "") ==
        "Function.ResponseSizeTooLarge");
}
