#include "http/date.hpp"

#include <array>
#include <cstdio>

namespace fdk::http {
namespace {

constexpr std::array<std::string_view, 7> kWeekdays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// The clock's range in whole seconds, less a year on each side so that adding a timeout or
// comparing with "now" cannot overflow either.
constexpr std::int64_t kClockSeconds =
    std::chrono::duration_cast<std::chrono::seconds>(SystemTime::duration::max()).count();
constexpr std::int64_t kMarginSeconds = 366LL * 86400;

// Reads fixed-width decimal fields left to right.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool digits(std::size_t count, int& out) {
    if (pos_ + count > text_.size()) return false;
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const char c = text_[pos_ + i];
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    pos_ += count;
    out = value;
    return true;
  }
  bool literal(std::string_view expected) {
    if (text_.substr(pos_, expected.size()) != expected) return false;
    pos_ += expected.size();
    return true;
  }
  // Matches one of `names` (e.g. month names); `index` is its position.
  template <std::size_t N>
  bool name(const std::array<std::string_view, N>& names, std::size_t& index) {
    for (std::size_t i = 0; i < N; ++i) {
      if (literal(names[i])) {
        index = i;
        return true;
      }
    }
    return false;
  }
  [[nodiscard]] bool at_end() const { return pos_ == text_.size(); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// The number written in text[at, at + count), which the caller knows to be inside `text`; -1 when
// one of the characters is not a digit.
int fixed_digits(std::string_view text, std::size_t at, std::size_t count) {
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    const auto digit = static_cast<unsigned>(static_cast<unsigned char>(text[i])) - '0';
    if (digit > 9) return -1;
    value = value * 10 + static_cast<int>(digit);
  }
  return value;
}

bool valid_time_of_day(int hour, int minute, int second) { return hour <= 23 && minute <= 59 && second <= 60; }

struct Split {
  std::int64_t days;
  std::int64_t second_of_day;
};

Split split_seconds(std::int64_t seconds) {
  std::int64_t days = seconds / 86400;
  std::int64_t rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    days -= 1;
  }
  return {days, rest};
}

}  // namespace

std::int64_t days_from_civil(CivilDate date) noexcept {
  const std::int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(y - era * 400);
  const unsigned day_of_year = (153 * (date.month > 2 ? date.month - 3 : date.month + 9) + 2) / 5 + date.day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

CivilDate civil_from_days(std::int64_t days) noexcept {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned shifted_month = (5 * day_of_year + 2) / 153;
  CivilDate date;
  date.day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  date.month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  date.year = static_cast<std::int64_t>(year_of_era) + era * 400 + (date.month <= 2 ? 1 : 0);
  return date;
}

bool valid_civil_date(CivilDate date) noexcept {
  static constexpr std::array<unsigned, 12> kDaysInMonth = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (date.month < 1 || date.month > 12) return false;
  const bool leap = (date.year % 4 == 0 && date.year % 100 != 0) || date.year % 400 == 0;
  const unsigned last = kDaysInMonth[date.month - 1] + (date.month == 2 && leap ? 1 : 0);
  return date.day >= 1 && date.day <= last;
}

std::optional<SystemTime> time_from_unix(std::int64_t seconds, std::int64_t nanos) noexcept {
  if (seconds > kClockSeconds - kMarginSeconds || seconds < -(kClockSeconds - kMarginSeconds)) return std::nullopt;
  if (nanos < 0 || nanos >= 1'000'000'000) return std::nullopt;
  const auto since_epoch = std::chrono::seconds(seconds) + std::chrono::nanoseconds(nanos);
  return SystemTime(std::chrono::duration_cast<SystemTime::duration>(since_epoch));
}

std::optional<UnixTime> parse_rfc3339_unix(std::string_view text) {
  // Read by index, not with a Cursor: every call's Fn-Deadline goes through here, and
  // `YYYY-MM-DDTHH:MM:SS` sits at fixed positions.
  constexpr std::size_t kDateTimeLength = 19;
  if (text.size() <= kDateTimeLength) return std::nullopt;  // a zone must follow
  const int year = fixed_digits(text, 0, 4);
  const int month = fixed_digits(text, 5, 2);
  const int day = fixed_digits(text, 8, 2);
  const int hour = fixed_digits(text, 11, 2);
  const int minute = fixed_digits(text, 14, 2);
  const int second = fixed_digits(text, 17, 2);
  const char separator = text[10];
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || text[4] != '-' ||
      text[7] != '-' || text[13] != ':' || text[16] != ':' ||
      !(separator == 'T' || separator == 't' || separator == ' ')) {
    return std::nullopt;
  }
  const CivilDate date{year, static_cast<unsigned>(month), static_cast<unsigned>(day)};
  if (!valid_civil_date(date) || !valid_time_of_day(hour, minute, second)) return std::nullopt;
  std::size_t at = kDateTimeLength;
  std::int64_t nanos = 0;
  if (text[at] == '.') {
    const std::size_t first_digit = ++at;
    for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at) {
      if (at - first_digit < 9) nanos = nanos * 10 + (text[at] - '0');  // finer than 1 ns: dropped
    }
    const std::size_t count = at - first_digit;
    if (count == 0) return std::nullopt;
    for (std::size_t i = count; i < 9; ++i) nanos *= 10;
  }
  if (at == text.size()) return std::nullopt;
  const char zone = text[at++];
  std::int64_t offset_seconds = 0;
  if (zone == '+' || zone == '-') {
    // `HH:MM`, the end of the text.
    if (text.size() - at != 5 || text[at + 2] != ':') return std::nullopt;
    const int offset_hours = fixed_digits(text, at, 2);
    const int offset_minutes = fixed_digits(text, at + 3, 2);
    if (offset_hours < 0 || offset_minutes < 0 || offset_hours > 23 || offset_minutes > 59) return std::nullopt;
    offset_seconds = (offset_hours * 3600 + offset_minutes * 60) * (zone == '+' ? 1 : -1);
    at += 5;
  } else if (zone != 'Z' && zone != 'z') {
    return std::nullopt;
  }
  if (at != text.size()) return std::nullopt;
  return UnixTime{days_from_civil(date) * 86400 + hour * 3600 + minute * 60 + second - offset_seconds, nanos};
}

std::optional<SystemTime> parse_rfc3339(std::string_view text) {
  const auto parsed = parse_rfc3339_unix(text);
  return parsed ? time_from_unix(parsed->seconds, parsed->nanos) : std::nullopt;
}

std::string format_rfc3339(SystemTime time) {
  // floor, not duration_cast: truncating toward zero would write a pre-1970 instant with a
  // sub-millisecond fraction as later than it is (found by the http_date fuzzer).
  const auto millis = std::chrono::floor<std::chrono::milliseconds>(time.time_since_epoch()).count();
  std::int64_t seconds = millis / 1000;
  std::int64_t ms = millis % 1000;
  if (ms < 0) {
    ms += 1000;
    seconds -= 1;
  }
  const Split split = split_seconds(seconds);
  const CivilDate date = civil_from_days(split.days);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<long long>(date.year),
                date.month, date.day, static_cast<int>(split.second_of_day / 3600),
                static_cast<int>(split.second_of_day / 60 % 60), static_cast<int>(split.second_of_day % 60),
                static_cast<int>(ms));
  return buffer;
}

std::string format_rfc3339_seconds(SystemTime time) {
  std::string text = format_rfc3339(std::chrono::floor<std::chrono::seconds>(time));
  return text.substr(0, text.find('.')) + "Z";
}

std::optional<SystemTime> parse_http_date(std::string_view text) {
  Cursor in(text);
  std::size_t weekday, month;
  int day, year, hour, minute, second;
  if (!(in.name(kWeekdays, weekday) && in.literal(", ") && in.digits(2, day) && in.literal(" ") &&
        in.name(kMonths, month) && in.literal(" ") && in.digits(4, year) && in.literal(" ") && in.digits(2, hour) &&
        in.literal(":") && in.digits(2, minute) && in.literal(":") && in.digits(2, second) && in.literal(" GMT") &&
        in.at_end())) {
    return std::nullopt;
  }
  const CivilDate date{year, static_cast<unsigned>(month + 1), static_cast<unsigned>(day)};
  if (!valid_civil_date(date) || !valid_time_of_day(hour, minute, second)) return std::nullopt;
  return time_from_unix(days_from_civil(date) * 86400 + hour * 3600 + minute * 60 + second);
}

std::string format_http_date(SystemTime time) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(time.time_since_epoch()).count();
  const Split split = split_seconds(seconds);
  const CivilDate date = civil_from_days(split.days);
  // 1970-01-01 was a Thursday.
  const auto weekday = static_cast<std::size_t>(((split.days % 7) + 11) % 7);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%s, %02u %s %04lld %02d:%02d:%02d GMT", kWeekdays[weekday].data(), date.day,
                kMonths[date.month - 1].data(), static_cast<long long>(date.year),
                static_cast<int>(split.second_of_day / 3600), static_cast<int>(split.second_of_day / 60 % 60),
                static_cast<int>(split.second_of_day % 60));
  return buffer;
}

}  // namespace fdk::http
