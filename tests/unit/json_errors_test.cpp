// Typed JSON handlers: a bad body gets a 400 whose message is a sentence naming the field.
#include <doctest/doctest.h>

#include <map>

#include "fdk/fdk.hpp"
#include "fdk/testing.hpp"

using fdk::testing::Call;

namespace {
struct Line {
  std::string item;
  int quantity = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Line, item, quantity)

struct Order {
  std::string customer;
  std::vector<Line> lines;
  bool gift = false;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Order, customer, lines, gift)

struct Person {
  std::string name;
  int age = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Person, name, age)

struct Counted {
  int n = 0;
  std::string s;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Counted, n, s)

template <class In>
std::string message_for(const std::string& body) {
  auto handler = fdk::json_handler<In>([](fdk::Context&, const In&) { return fdk::Response::text("fits"); });
  auto result = fdk::testing::invoke(handler, Call{}.with_body(body));
  CHECK(result.agent_status == 200);
  CHECK(result.status == 400);
  std::string message = result.json()["message"];
  CHECK(message.find("json.exception") == std::string::npos);
  return message;
}

constexpr const char* kShape = "The request body does not have the expected shape: ";
}  // namespace

TEST_CASE("a field of the wrong type is named, with what was expected and what came") {
  CHECK(message_for<Order>(R"({"customer":7,"lines":[],"gift":true})") ==
        std::string(kShape) + "field 'customer': expected a string, got a number.");
  CHECK(message_for<Order>(R"({"customer":"Ada","lines":[{"item":"tea","quantity":1},{"item":"jam","quantity":"two"}],"gift":false})") ==
        std::string(kShape) + "field 'lines[1].quantity': expected a number, got a string.");
  CHECK(message_for<Order>(R"({"customer":"Ada","lines":{},"gift":false})") ==
        std::string(kShape) + "field 'lines': expected an array, got an object.");
  CHECK(message_for<Order>(R"({"customer":"Ada","lines":[],"gift":"yes"})") ==
        std::string(kShape) + "field 'gift': expected true or false, got a string.");
  CHECK(message_for<Order>(R"({"customer":null,"lines":[],"gift":true})") ==
        std::string(kShape) + "field 'customer': expected a string, got null.");
}

TEST_CASE("fields read correctly before the wrong one are not blamed") {
  // n is a number read as a number; s is the number that should be a string.
  CHECK(message_for<Counted>(R"({"n":1,"s":2})") == std::string(kShape) + "field 's': expected a string, got a number.");
  // Both wrong: the first one read is named.
  CHECK(message_for<Person>(R"({"name":5,"age":"x"})") ==
        std::string(kShape) + "field 'name': expected a string, got a number.");
}

TEST_CASE("a missing field is named with its path") {
  CHECK(message_for<Order>(R"({"lines":[],"gift":true})") == std::string(kShape) + "field 'customer' is missing.");
  CHECK(message_for<Order>(R"({"customer":"Ada","lines":[{"item":"tea","quantity":1},{"quantity":2}],"gift":true})") ==
        std::string(kShape) + "field 'lines[1].item' is missing.");
}

TEST_CASE("a body of the wrong kind says so") {
  CHECK(message_for<Order>("[1,2]") == std::string(kShape) + "the body: expected an object, got an array.");
  CHECK(message_for<Order>("\"text\"") == std::string(kShape) + "the body: expected an object, got a string.");
}

TEST_CASE("keys that need escaping in a JSON pointer are named as they are") {
  CHECK(message_for<std::map<std::string, int>>(R"({"a/b~c":"x"})") ==
        std::string(kShape) + "field 'a/b~c': expected a number, got a string.");
}

TEST_CASE("a body that is not JSON gets its position and the reason") {
  std::string message = message_for<Order>(R"({"customer": )");
  CHECK(message.rfind("The request body is not valid JSON (line 1, column 14): ", 0) == 0);
  CHECK(message.find("unexpected end of input") != std::string::npos);
  CHECK(message.back() == '.');
  CHECK(message_for<Order>("").find("empty") != std::string::npos);
}

TEST_CASE("a deeply nested body is refused with a 400, not a crash") {
  std::string deep(200000, '[');
  CHECK(message_for<Order>(deep).find("256 levels deep") != std::string::npos);
  std::string closed = std::string(300, '[') + std::string(300, ']');
  CHECK(message_for<nlohmann::json>(closed).find("256 levels deep") != std::string::npos);
  std::string fine = std::string(200, '[') + std::string(200, ']');
  auto handler = fdk::json_handler<nlohmann::json>([](fdk::Context&, const nlohmann::json&) { return fdk::Response::text("ok"); });
  CHECK(fdk::testing::invoke(handler, Call{}.with_body(fine)).status == 200);
}

TEST_CASE("a large body with a wrong field is explained within a bounded number of probes") {
  nlohmann::json lines = nlohmann::json::array();
  for (int i = 0; i < 20000; ++i) lines.push_back({{"item", "x"}, {"quantity", i}});
  lines.push_back({{"item", "x"}, {"quantity", "many"}});
  nlohmann::json body = {{"customer", "Ada"}, {"lines", lines}, {"gift", false}};
  std::string message = message_for<Order>(body.dump());
  // 60k candidates exceed the probe budget: the sentence stays clear even without the path.
  CHECK(message.find("expected a number, got a string.") != std::string::npos);
}

TEST_CASE("a nested object of the wrong kind is named") {
  CHECK(message_for<Order>(R"({"customer":"Ada","lines":[{"item":"tea","quantity":1},7],"gift":true})") ==
        std::string(kShape) + "field 'lines[1]': expected an object, got a number.");
}
