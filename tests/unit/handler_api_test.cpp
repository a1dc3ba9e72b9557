// The public handler API, exercised through fdk::testing as a user would.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "fdk/fdk.hpp"
#include "fdk/json.hpp"
#include "fdk/testing.hpp"

using namespace std::chrono_literals;
using fdk::testing::Call;
using fdk::testing::invoke;

namespace {
struct Order {
  std::string item;
  int quantity = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Order, item, quantity)

struct Receipt {
  std::string summary;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Receipt, summary)

fdk::Handler order_handler() {
  return fdk::json_handler<Order>([](fdk::Context&, const Order& order) {
    return Receipt{std::to_string(order.quantity) + " x " + order.item};
  });
}
}  // namespace

TEST_CASE("response helpers set body, type and status") {
  auto text = fdk::Response::text("hi");
  CHECK(text.status() == 200);
  CHECK(text.content_type() == "text/plain; charset=utf-8");
  auto json = fdk::Response::json({{"a", 1}}, 201);
  CHECK(json.body() == R"({"a":1})");
  CHECK(json.status() == 201);
  CHECK(json.content_type() == "application/json");
  auto empty = fdk::Response::empty();
  CHECK(empty.status() == 204);
  CHECK(empty.body().empty());
  fdk::Response built;
  built.set_status(418).set_body("teapot").set_content_type("text/x-tea").set_header("X", "1").set_header("x", "2");
  CHECK(built.headers().get_all("X") == std::vector<std::string>{"2"});
}

TEST_CASE("typed JSON handler: a good body is parsed and the result serialised") {
  auto result = invoke(order_handler(), Call{}.with_body(R"({"item":"tea","quantity":2})"));
  CHECK(result.agent_status == 200);
  CHECK(result.status == 200);
  CHECK(result.content_type == "application/json");
  CHECK(result.json()["summary"] == "2 x tea");
}

TEST_CASE("typed JSON handler: bad bodies give the caller 400 with a clear message") {
  struct Case {
    const char* body;
    const char* expected;
  };
  for (auto c : {Case{"", "empty"}, Case{"{not json", "not valid JSON"}, Case{R"({"item":"tea"})", "expected shape"},
                 Case{R"({"item":1,"quantity":2})", "expected shape"}}) {
    CAPTURE(c.body);
    auto result = invoke(order_handler(), Call{}.with_body(c.body));
    CHECK(result.agent_status == 200);
    CHECK(result.status == 400);
    CHECK(result.json()["message"].get<std::string>().find(c.expected) != std::string::npos);
  }
}

TEST_CASE("a handler returning fdk::Response from a typed handler keeps control of status") {
  auto handler = fdk::json_handler<nlohmann::json>(
      [](fdk::Context&, const nlohmann::json& in) { return fdk::Response::json(in, 202); });
  auto result = invoke(handler, Call{}.with_body("[1,2]"));
  CHECK(result.status == 202);
  CHECK(result.body == "[1,2]");
}

TEST_CASE("the harness shows gateway status and de-prefixed headers, cookies intact") {
  auto handler = [](fdk::Context& ctx, std::string_view) {
    CHECK(ctx.is_gateway());
    CHECK(ctx.gateway().method == "PUT");
    CHECK(ctx.gateway().query_value("q") == "1 2");
    CHECK(ctx.gateway().headers.get("X-Req") == "r");
    return fdk::Response::text("made", 201).add_header("Set-Cookie", "a=1").add_header("Set-Cookie", "b=2");
  };
  auto result = invoke(handler, Call{}.with_gateway("PUT", "http://h/t/app/fn?q=1%202").with_gateway_header("X-Req", "r"));
  CHECK(result.agent_status == 200);
  CHECK(result.status == 201);
  CHECK(result.headers.get_all("Set-Cookie") == std::vector<std::string>{"a=1", "b=2"});
  CHECK(result.wire_headers.get_all("Fn-Http-H-Set-Cookie").size() == 2);
  CHECK(result.body == "made");
}

TEST_CASE("the harness passes config, call id and headers") {
  auto handler = [](fdk::Context& ctx, std::string_view body) {
    return fdk::Response::text(ctx.call_id() + "|" + ctx.config().get_or("K", "") + "|" +
                               ctx.headers().get_or("X-Extra", "") + "|" + ctx.content_type() + "|" +
                               std::string(body));
  };
  auto result = invoke(handler, Call{}
                                    .with_call_id("id1")
                                    .with_config("K", "v")
                                    .with_header("X-Extra", "e")
                                    .with_content_type("text/csv")
                                    .with_body("a,b"));
  CHECK(result.body == "id1|v|e|text/csv|a,b");
}

TEST_CASE("a handler past its deadline gives 504 and sees cancellation") {
  std::atomic<bool> saw_cancel{false};
  auto handler = [&](fdk::Context& ctx, std::string_view) {
    for (int i = 0; i < 500 && !ctx.cancelled(); ++i) std::this_thread::sleep_for(5ms);
    saw_cancel = ctx.cancelled();
    return fdk::Response::text("too late");
  };
  auto started = std::chrono::steady_clock::now();
  auto result = invoke(handler, Call{}.with_timeout(150ms));
  auto took = std::chrono::steady_clock::now() - started;
  CHECK(result.agent_status == 504);
  CHECK(result.body.find("deadline") != std::string::npos);
  CHECK(saw_cancel);
  CHECK(took < 2s);
}

TEST_CASE("a throwing handler gives 502 with the call id") {
  auto result = invoke([](fdk::Context&, std::string_view) -> fdk::Response { throw std::logic_error("bad state"); },
                       Call{}.with_call_id("x1"));
  CHECK(result.agent_status == 502);
  CHECK(result.json()["call_id"] == "x1");
}

TEST_CASE("the harness enforces the body limit like the runtime") {
  Call call;
  call.options.max_body_bytes = 4;
  call.body = "12345";
  auto result = invoke([](fdk::Context&, std::string_view) { return fdk::Response::text("ran"); }, call);
  CHECK(result.agent_status == 200);
  CHECK(result.status == 413);
}

TEST_CASE("a default Context is usable on its own") {
  fdk::Context ctx;
  CHECK_FALSE(ctx.cancelled());
  CHECK(ctx.time_remaining() > 20s);
  CHECK(ctx.config().entries().empty());
}

// docs/handler-api.md and http_error.hpp describe this body; keep them in step.
TEST_CASE("HttpError's body carries the message and the call id, and no call id when there is none") {
  auto not_found = [](fdk::Context&, std::string_view) -> fdk::Response { throw fdk::HttpError(404, "no such order"); };
  auto with_id = invoke(not_found, Call{}.with_call_id("id404"));
  CHECK(with_id.agent_status == 200);
  CHECK(with_id.status == 404);
  CHECK(with_id.json() == nlohmann::json{{"message", "no such order"}, {"call_id", "id404"}});
  auto without_id = invoke(not_found, Call{}.with_call_id(""));
  CHECK(without_id.json() == nlohmann::json{{"message", "no such order"}});
}
