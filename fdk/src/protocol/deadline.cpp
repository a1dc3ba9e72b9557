#include "protocol/deadline.hpp"

#include <cstdint>
#include <cstdio>

namespace fdk::protocol {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm):
// avoids timegm/TZ state so parsing is pure and thread-safe.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2));
}

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool digits(std::size_t count, int& out) {
    if (pos_ + count > text_.size()) return false;
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      char c = text_[pos_ + i];
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    pos_ += count;
    out = value;
    return true;
  }
  bool literal(char expected) {
    if (pos_ < text_.size() && text_[pos_] == expected) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool literal_any(std::string_view options, char& which) {
    if (pos_ < text_.size() && options.find(text_[pos_]) != std::string_view::npos) {
      which = text_[pos_++];
      return true;
    }
    return false;
  }
  bool at_end() const { return pos_ == text_.size(); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

bool days_in_month_ok(int year, int month, int day) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int max = kDays[month - 1] + ((month == 2 && leap) ? 1 : 0);
  return day >= 1 && day <= max;
}

}  // namespace

std::optional<SystemTime> parse_rfc3339(std::string_view text) {
  Cursor in(text);
  int year, month, day, hour, minute, second;
  char sep;
  if (!(in.digits(4, year) && in.literal('-') && in.digits(2, month) && in.literal('-') && in.digits(2, day) &&
        in.literal_any("Tt ", sep) && in.digits(2, hour) && in.literal(':') && in.digits(2, minute) &&
        in.literal(':') && in.digits(2, second))) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || !days_in_month_ok(year, month, day) || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::int64_t nanos = 0;
  if (in.literal('.')) {
    int digit, count = 0;
    while (in.digits(1, digit)) {
      if (count < 9) nanos = nanos * 10 + digit;
      ++count;
    }
    if (count == 0) return std::nullopt;
    for (int i = count; i < 9; ++i) nanos *= 10;
  }
  std::int64_t offset_seconds = 0;
  char zone;
  if (!in.literal_any("Zz+-", zone)) return std::nullopt;
  if (zone == '+' || zone == '-') {
    int oh, om;
    if (!(in.digits(2, oh) && in.literal(':') && in.digits(2, om)) || oh > 23 || om > 59) return std::nullopt;
    offset_seconds = (oh * 3600 + om * 60) * (zone == '+' ? 1 : -1);
  }
  if (!in.at_end()) return std::nullopt;

  std::int64_t seconds = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
                         hour * 3600 + minute * 60 + second - offset_seconds;
  // The clock counts nanoseconds in 64 bits: keep results between 1970 and 2200, so that
  // arithmetic with "now" (time left, comparisons) can never overflow.
  constexpr std::int64_t kLatestSeconds = 7258118400;  // 2200-01-01T00:00:00Z
  if (seconds < 0) return SystemTime{};
  if (seconds >= kLatestSeconds) return SystemTime(std::chrono::seconds(kLatestSeconds));
  auto since_epoch = std::chrono::seconds(seconds) + std::chrono::nanoseconds(nanos);
  return SystemTime(std::chrono::duration_cast<SystemTime::duration>(since_epoch));
}

std::string format_rfc3339(SystemTime time) {
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  std::int64_t seconds = millis / 1000;
  std::int64_t ms = millis % 1000;
  if (ms < 0) {
    ms += 1000;
    seconds -= 1;
  }
  std::int64_t days = seconds / 86400;
  std::int64_t rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    days -= 1;
  }
  int y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", y, m, d, static_cast<int>(rest / 3600),
                static_cast<int>(rest / 60 % 60), static_cast<int>(rest % 60), static_cast<int>(ms));
  return buffer;
}

}  // namespace fdk::protocol
