// Splitting and decoding the gateway's request URL. No I/O.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fdk::protocol {

/// The path of an absolute or origin-form URL, without query string or fragment.
[[nodiscard]] std::string url_path(std::string_view url);
/// The raw query string of a URL (after `?`, before `#`), or empty.
[[nodiscard]] std::string_view url_query(std::string_view url);
/// Decodes `%XX` escapes, and `+` as space (form encoding, as query strings use it).
/// Malformed escapes are kept literally.
[[nodiscard]] std::string percent_decode(std::string_view text);
/// Parses `a=1&b=two%20words&a=3` into decoded pairs, in order; `flag` alone gives ("flag", "").
[[nodiscard]] std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

}  // namespace fdk::protocol
