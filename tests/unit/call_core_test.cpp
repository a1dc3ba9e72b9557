// The platform-neutral call core: Invocation -> Context -> handler -> CallResult, no transport.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "core/call_core.hpp"
#include "fdk/http_error.hpp"

using namespace fdk;
using namespace fdk::core;
using namespace std::chrono_literals;

namespace {

Invocation lambda_invocation() {
  Invocation invocation;
  invocation.platform = Platform::lambda;
  invocation.call_id = "req-1";
  invocation.deadline = std::chrono::system_clock::now() + 1h;
  invocation.headers.add("Lambda-Runtime-Aws-Request-Id", "req-1");
  invocation.content_type = "application/json";
  invocation.body = R"({"x":1})";
  invocation.platform_attributes = {{"invoked_function_arn", "arn:aws:lambda:eu-west-1:1:function:f"}};
  invocation.function.fn_name = "f";
  invocation.function.memory_mb = 512;
  return invocation;
}

Context context_of(Invocation invocation) {
  return make_context(invocation, std::make_shared<std::atomic<bool>>(false));
}

CallResult call_handler(const Handler& handler, Context context = context_of(lambda_invocation())) {
  return run_handler(handler, context, "body");
}

nlohmann::json body_of(const CallResult& result) { return nlohmann::json::parse(result.response.body()); }

}  // namespace

TEST_CASE("an invocation becomes the handler's context") {
  Invocation invocation = lambda_invocation();
  invocation.gateway = GatewayRequest{};
  invocation.gateway->method = "PUT";
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  Context ctx = make_context(invocation, cancelled);
  CHECK(ctx.platform() == Platform::lambda);
  CHECK(ctx.call_id() == "req-1");
  CHECK(ctx.has_deadline());
  CHECK(ctx.headers().get("lambda-runtime-aws-request-id") == "req-1");
  CHECK(ctx.content_type() == "application/json");
  CHECK(ctx.fn_name() == "f");
  CHECK(ctx.memory_mb() == 512);
  REQUIRE(ctx.is_gateway());
  CHECK(ctx.gateway().method == "PUT");
  CHECK(ctx.platform_attribute("invoked_function_arn") == "arn:aws:lambda:eu-west-1:1:function:f");
  CHECK(ctx.platform_attribute("tenant_id").empty());
  CHECK(ctx.platform_attributes().size() == 1);
  CHECK(invocation.body == R"({"x":1})");  // the body stays for the transport to pass on
  CHECK_FALSE(ctx.cancelled());
  cancelled->store(true);
  CHECK(ctx.cancelled());
}

TEST_CASE("without a deadline a call is never cancelled by time and has time left") {
  Invocation invocation = lambda_invocation();
  invocation.deadline.reset();
  invocation.gateway.reset();
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  Context ctx = make_context(invocation, cancelled);
  CHECK_FALSE(ctx.has_deadline());
  CHECK_FALSE(ctx.is_gateway());
  CHECK(ctx.deadline() == Context::kNoDeadline);
  CHECK_FALSE(ctx.cancelled());
  CHECK(ctx.time_remaining() > std::chrono::hours(24 * 365 * 100));
  cancelled->store(true);  // the transport can still abandon it
  CHECK(ctx.cancelled());
}

TEST_CASE("a context built by the user keeps today's defaults") {
  Context ctx;
  CHECK(ctx.platform() == Platform::fn);
  CHECK(ctx.has_deadline());
  CHECK(ctx.platform_attributes().empty());
  CHECK(std::string(platform_name(Platform::stdio)) == "stdio");
}

TEST_CASE("each way a handler ends has its kind") {
  SUBCASE("a valid response is ok, passed through untouched and not logged") {
    auto result = call_handler([](Context&, std::string_view body) { return Response::text(std::string(body), 201); });
    CHECK(result.kind == ResultKind::ok);
    CHECK(result.response.status() == 201);
    CHECK(result.response.body() == "body");
    CHECK(result.log_line.empty());
  }
  SUBCASE("HttpError is http_error with its status and a JSON message, not logged") {
    auto result = call_handler([](Context&, std::string_view) -> Response { throw HttpError(409, "taken"); });
    CHECK(result.kind == ResultKind::http_error);
    CHECK(result.response.status() == 409);
    CHECK(result.response.content_type() == "application/json");
    CHECK(body_of(result) == nlohmann::json{{"message", "taken"}, {"call_id", "req-1"}});
    CHECK(result.log_line.empty());
  }
  SUBCASE("an HttpError status outside 100-599 is a handler failure") {
    auto result = call_handler([](Context&, std::string_view) -> Response { throw HttpError(700, "odd"); });
    CHECK(result.kind == ResultKind::handler_failed);
    CHECK(body_of(result)["message"].get<std::string>().find("700") != std::string::npos);
  }
  SUBCASE("an exception is handler_failed: 500 with the message, and an error line") {
    auto result = call_handler([](Context&, std::string_view) -> Response { throw std::runtime_error("boom"); });
    CHECK(result.kind == ResultKind::handler_failed);
    CHECK(result.response.status() == 500);
    CHECK(body_of(result)["call_id"] == "req-1");
    CHECK(body_of(result)["message"].get<std::string>().find("boom") != std::string::npos);
    auto log = nlohmann::json::parse(result.log_line);
    CHECK(log["level"] == "error");
    CHECK(log["call_id"] == "req-1");
  }
  SUBCASE("a thrown non-exception is handler_failed") {
    CHECK(call_handler([](Context&, std::string_view) -> Response { throw 7; }).kind == ResultKind::handler_failed);
  }
  SUBCASE("a response that cannot be sent is handler_failed") {
    CHECK(call_handler([](Context&, std::string_view) { return Response::text("x", 99); }).kind == ResultKind::handler_failed);
    CHECK(call_handler([](Context&, std::string_view) { return Response::text("x", 600); }).kind == ResultKind::handler_failed);
    CHECK(call_handler([](Context&, std::string_view) { return Response::text("x").add_header("X", std::string("a\0b", 3)); })
              .kind == ResultKind::handler_failed);
    CHECK(call_handler([](Context&, std::string_view) { return Response::text("x").set_content_type("a\nb"); }).kind ==
          ResultKind::handler_failed);
    CHECK(call_handler([](Context&, std::string_view) { return Response::text("x").add_header("", "v"); }).kind ==
          ResultKind::handler_failed);
  }
}

TEST_CASE("response_problem names the first problem, empty when there is none") {
  CHECK(response_problem(Response::text("fine", 100)).empty());
  CHECK(response_problem(Response::text("fine", 599)).empty());
  CHECK(response_problem(Response::text("x", 600)).find("600") != std::string::npos);
  CHECK(response_problem(Response::text("x").add_header("Bad Name", "v")).find("'Bad Name'") != std::string::npos);
  CHECK(response_problem(Response::text("x").add_header("X-A", "1\r\n")).find("'X-A'") != std::string::npos);
  CHECK(response_problem(Response::text("x").add_header("X-B", std::string("a\0b", 3))).find("'X-B'") !=
        std::string::npos);
  CHECK(response_problem(Response::text("x").add_header("X-C", "a\nb")).find("'X-C'") != std::string::npos);
  CHECK(response_problem(Response::text("x").set_content_type("text/plain\r")).find("content type") !=
        std::string::npos);
  CHECK(response_problem(Response::text("x").add_header("X-D", "tab\tand \x01 pass")).empty());
}

TEST_CASE("a result after the deadline becomes deadline_passed; without a deadline it stands") {
  auto ok = [] { return CallResult{ResultKind::ok, Response::text("late"), {}}; };
  Context timed = context_of(lambda_invocation());
  CHECK(result_at(ok(), timed, timed.deadline() - 1ms).kind == ResultKind::ok);
  auto late = result_at(ok(), timed, timed.deadline());
  CHECK(late.kind == ResultKind::deadline_passed);
  CHECK(late.response.status() == 504);
  CHECK(body_of(late)["call_id"] == "req-1");
  CHECK(nlohmann::json::parse(late.log_line)["level"] == "error");

  Invocation untimed = lambda_invocation();
  untimed.deadline.reset();
  Context open_ended = context_of(untimed);
  CHECK(result_at(ok(), open_ended, Context::kNoDeadline + 1h).kind == ResultKind::ok);
}

TEST_CASE("results the FDK makes without the handler") {
  auto too_large = too_large_result("c1", 7000000, 6291456);
  CHECK(too_large.kind == ResultKind::too_large);
  CHECK(too_large.response.status() == 413);
  CHECK(body_of(too_large)["message"].get<std::string>().find("7000000") != std::string::npos);
  CHECK(nlohmann::json::parse(too_large.log_line)["level"] == "warning");

  auto bad = bad_request_result("", "Not HTTP.");
  CHECK(bad.kind == ResultKind::bad_request);
  CHECK(bad.response.status() == 400);
  CHECK(body_of(bad) == nlohmann::json{{"message", "Not HTTP."}});  // no call id known: none sent
  CHECK(bad_request_result("c1", "Wrong path.", 404).response.status() == 404);

  auto unavailable = unavailable_result("c2", "No thread.");
  CHECK(unavailable.kind == ResultKind::unavailable);
  CHECK(unavailable.response.status() == 503);
  CHECK(nlohmann::json::parse(unavailable.log_line)["level"] == "error");

  auto deadline = deadline_result("c3", std::chrono::system_clock::time_point(std::chrono::seconds(1795812608)));
  CHECK(deadline.kind == ResultKind::deadline_passed);
  CHECK(body_of(deadline)["message"].get<std::string>().find("2026-11-27T20:50:08.000Z") != std::string::npos);
}
