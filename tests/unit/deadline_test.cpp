#include <doctest/doctest.h>

#include "protocol/deadline.hpp"

using namespace std::chrono;
using fdk::protocol::parse_rfc3339;

namespace {
long long epoch_ms(fdk::protocol::SystemTime t) { return duration_cast<milliseconds>(t.time_since_epoch()).count(); }
}  // namespace

TEST_CASE("the agent's whole-second UTC deadline parses") {
  auto t = parse_rfc3339("2026-11-21T20:14:08Z");
  REQUIRE(t);
  CHECK(epoch_ms(*t) == 1795292048000LL);
}

TEST_CASE("fractions and offsets are honoured") {
  CHECK(epoch_ms(*parse_rfc3339("2026-11-21T20:14:08.250Z")) == 1795292048250LL);
  CHECK(epoch_ms(*parse_rfc3339("2026-11-21T22:14:08+02:00")) == 1795292048000LL);
  CHECK(epoch_ms(*parse_rfc3339("2026-11-21T18:44:08-01:30")) == 1795292048000LL);
  CHECK(epoch_ms(*parse_rfc3339("1970-01-01T00:00:00Z")) == 0);
  CHECK(epoch_ms(*parse_rfc3339("2024-02-29T00:00:00.123456789Z")) == 1709164800123LL);
}

TEST_CASE("timestamps outside 1970-2200 are clamped, so arithmetic with now cannot overflow") {
  CHECK(epoch_ms(*parse_rfc3339("1900-01-01T00:00:00Z")) == 0);
  CHECK(epoch_ms(*parse_rfc3339("0000-01-01T00:00:00Z")) == 0);
  auto far = *parse_rfc3339("9999-12-31T23:59:59Z");
  CHECK(epoch_ms(far) == 7258118400000LL);
  CHECK(far - std::chrono::system_clock::now() > hours(24 * 365 * 100));
}

TEST_CASE("malformed timestamps are rejected") {
  for (const char* bad : {"", "2026-11-21", "2026-11-21T20:14:08", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                          "2026-11-21T24:00:00Z", "2026-11-21T20:14:08.Z", "2026-11-21T20:14:08+0200",
                          "2026-11-21T20:14:08Zjunk", "x026-11-21T20:14:08Z", "2023-02-29T00:00:00Z"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_rfc3339(bad).has_value());
  }
}

TEST_CASE("format_rfc3339 round-trips with milliseconds") {
  auto t = *parse_rfc3339("2026-11-21T20:14:08.250Z");
  CHECK(fdk::protocol::format_rfc3339(t) == "2026-11-21T20:14:08.250Z");
  CHECK(parse_rfc3339(fdk::protocol::format_rfc3339(t)) == t);
  CHECK(fdk::protocol::format_rfc3339(fdk::protocol::SystemTime{}) == "1970-01-01T00:00:00.000Z");
}
