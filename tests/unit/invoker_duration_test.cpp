// fdk-invoke's durations: seconds with fractions, or an explicit unit; exact to the millisecond.
#include <doctest/doctest.h>

#include "duration.hpp"

using namespace std::chrono_literals;
using fdk::detail::parse_duration;

TEST_CASE("a bare number is in the given unit, fractions allowed") {
  CHECK(parse_duration("1", 1s) == 1000ms);
  CHECK(parse_duration("30", 1s) == 30000ms);
  CHECK(parse_duration("1.5", 1s) == 1500ms);
  CHECK(parse_duration(".25", 1s) == 250ms);
  CHECK(parse_duration("0.001", 1s) == 1ms);
  CHECK(parse_duration("5000", 1ms) == 5000ms);
}

TEST_CASE("units ms, s and m") {
  CHECK(parse_duration("250ms", 1s) == 250ms);
  CHECK(parse_duration("2s", 1ms) == 2000ms);
  CHECK(parse_duration("1.25s", 1ms) == 1250ms);
  CHECK(parse_duration("1m", 1s) == 60000ms);
  CHECK(parse_duration("0.5ms", 1s) == 1ms);  // rounds to the nearest millisecond
}

TEST_CASE("anything else is refused") {
  for (const char* text : {"", "0", "0s", "0.0001", "-1", "+1", "1e3", "1.2.3", "1 s", "1h", "s", ".", "abc", "25hours",
                           "100000000"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_duration(text, 1s).has_value());
  }
}
