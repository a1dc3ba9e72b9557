// RFC 7231 IMF-fixdate (`Thu, 05 Jan 2014 21:31:40 GMT`), the format of `date` and `x-date`.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace fdk::oci::detail {

/// Formats `when` (truncated to seconds) as IMF-fixdate, independent of the C locale.
[[nodiscard]] std::string format_http_date(std::chrono::system_clock::time_point when);

/// Parses IMF-fixdate; nothing when the text is not exactly in that format.
[[nodiscard]] std::optional<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

}  // namespace fdk::oci::detail
