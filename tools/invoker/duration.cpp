#include "duration.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

namespace fdk::invoker {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text, std::chrono::milliseconds bare_unit) {
  std::size_t digits = 0;
  bool seen_point = false;
  while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) ||
                                  (text[digits] == '.' && !seen_point))) {
    seen_point = seen_point || text[digits] == '.';
    ++digits;
  }
  std::string number(text.substr(0, digits));
  std::string_view unit = text.substr(digits);
  if (number.empty() || number == ".") return std::nullopt;

  double unit_ms = 0;
  if (unit.empty()) {
    unit_ms = static_cast<double>(bare_unit.count());
  } else if (unit == "ms") {
    unit_ms = 1;
  } else if (unit == "s") {
    unit_ms = 1000;
  } else if (unit == "m") {
    unit_ms = 60'000;
  } else {
    return std::nullopt;
  }
  // Only digits and one point reach here, so strtod cannot fail or see a sign or exponent.
  double millis = std::round(std::strtod(number.c_str(), nullptr) * unit_ms);
  constexpr double kDay = 24.0 * 3600 * 1000;
  if (!(millis >= 1) || millis > kDay) return std::nullopt;
  return std::chrono::milliseconds(static_cast<long long>(millis));
}

}  // namespace fdk::invoker
