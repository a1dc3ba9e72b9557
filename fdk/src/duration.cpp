#include "duration.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

namespace fdk::detail {

namespace {

// One "<decimal number><unit letters>" term at the start of `text`, or nothing when it does
// not start with a number. `text` is advanced past the term.
struct Term {
  double number = 0;
  std::string_view unit;
};

std::optional<Term> next_term(std::string_view& text) {
  std::size_t digits = 0;
  bool seen_point = false;
  while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) ||
                                  (text[digits] == '.' && !seen_point))) {
    seen_point = seen_point || text[digits] == '.';
    ++digits;
  }
  std::string number(text.substr(0, digits));
  if (number.empty() || number == "." || number.size() > 30) return std::nullopt;
  std::size_t letters = digits;
  while (letters < text.size() && std::isalpha(static_cast<unsigned char>(text[letters]))) ++letters;
  Term term;
  // Only digits and one point reach strtod, so it cannot fail or see a sign or exponent.
  term.number = std::strtod(number.c_str(), nullptr);
  term.unit = text.substr(digits, letters - digits);
  text.remove_prefix(letters);
  return term;
}

std::optional<double> unit_millis(std::string_view unit) {
  if (unit == "ms") return 1.0;
  if (unit == "s") return 1000.0;
  if (unit == "m") return 60'000.0;
  if (unit == "h") return 3'600'000.0;
  return std::nullopt;
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text, std::chrono::milliseconds bare_unit) {
  auto term = next_term(text);
  if (!term || !text.empty() || term->unit == "h") return std::nullopt;
  double unit_ms = static_cast<double>(bare_unit.count());
  if (!term->unit.empty()) {
    auto unit = unit_millis(term->unit);
    if (!unit) return std::nullopt;
    unit_ms = *unit;
  }
  double millis = std::round(term->number * unit_ms);
  constexpr double kDay = 24.0 * 3600 * 1000;
  if (!(millis >= 1) || millis > kDay) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(millis));
}

std::optional<std::chrono::milliseconds> parse_timeout(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double millis = 0;
  bool first = true;
  while (!text.empty()) {
    auto term = next_term(text);
    if (!term) return std::nullopt;
    if (term->unit.empty()) {
      if (!first || !text.empty()) return std::nullopt;  // a bare number stands alone
      millis = term->number * 1000.0;
      break;
    }
    auto unit = unit_millis(term->unit);
    if (!unit) return std::nullopt;
    millis += term->number * *unit;
    first = false;
  }
  constexpr double kThirtyDays = 30.0 * 24 * 3600 * 1000;
  if (millis > kThirtyDays) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(std::round(millis)));
}

}  // namespace fdk::detail
