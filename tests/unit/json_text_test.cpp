#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "fdk/response.hpp"

using nlohmann::json;

namespace {

// Response::json promises dump()'s text: compare the two on the document itself.
void check_same_as_dump(const json& value) {
  CAPTURE(value.dump());
  CHECK(fdk::detail::compact_json(value) == value.dump());
  CHECK(fdk::Response::json(value).body() == value.dump());
}

}  // namespace

TEST_CASE("Response::json writes what dump() writes") {
  check_same_as_dump(json::object());
  check_same_as_dump(json::array());
  check_same_as_dump(nullptr);
  check_same_as_dump(true);
  check_same_as_dump(false);
  check_same_as_dump(0);
  check_same_as_dump(-1);
  check_same_as_dump(std::numeric_limits<std::int64_t>::min());
  check_same_as_dump(std::numeric_limits<std::int64_t>::max());
  check_same_as_dump(std::numeric_limits<std::uint64_t>::max());
  check_same_as_dump("");
  check_same_as_dump("Hello Bench");
  check_same_as_dump({{"message", "Hello Bench"}});
  check_same_as_dump({{"b", 1}, {"a", {1, 2, json::array(), json::object()}}, {"c", {{"d", nullptr}}}});
  check_same_as_dump(json::array({"x", 1, true, nullptr}));
}

TEST_CASE("Response::json escapes text as dump() does") {
  std::string every_ascii;
  for (int c = 0; c < 0x80; ++c) every_ascii.push_back(static_cast<char>(c));
  check_same_as_dump(every_ascii);
  check_same_as_dump({{every_ascii, every_ascii}});
  // Escapes at each place of an eight-byte group, and after it.
  for (std::size_t at = 0; at < 20; ++at) {
    for (char special : {'"', '\\', '\n', '\x01', '\x1f', '\x7f'}) {
      std::string text(20, 'a');
      text[at] = special;
      check_same_as_dump(text);
    }
  }
}

TEST_CASE("Response::json leaves floats and non-ASCII text to dump()") {
  check_same_as_dump(0.1);
  check_same_as_dump(1.0);
  check_same_as_dump(-1e300);
  check_same_as_dump({{"price", 12.5}, {"name", "x"}});
  check_same_as_dump("Grüße, 世界");
  check_same_as_dump({{"Grüße", 1}});
  check_same_as_dump(json::binary({1, 2, 3}));
  // Invalid UTF-8: dump()'s own exception, as before.
  CHECK_THROWS_AS(fdk::detail::compact_json(std::string("bad \xff byte")), json::type_error);
  CHECK_THROWS_AS(fdk::detail::compact_json({{"k", std::string("\xc3")}}), json::type_error);
}
