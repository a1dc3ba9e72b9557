// URLs and request targets: splitting, percent-decoding and query strings. No I/O.
// The only URL parser: the runtime (gateway URLs), fdk-oci (service and proxy URLs) and the
// OCI emulator (request targets) all use it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fdk::http {

/// An absolute `http://` or `https://` URL split into what a connection needs.
struct Url {
  std::string scheme;  ///< `http` or `https`, lower case
  std::string host;    ///< without brackets for IPv6 literals
  int port = 0;        ///< explicit or the scheme's default
  std::string target;  ///< path and query as sent on the wire; `/` when empty

  [[nodiscard]] bool is_https() const noexcept { return scheme == "https"; }
  /// `host` or `host:port` when the port is not the scheme's default (the Host header).
  [[nodiscard]] std::string authority() const;
  /// `host:port` with the port always written, IPv6 literals in brackets (a CONNECT target).
  [[nodiscard]] std::string host_and_port() const;
  /// `scheme://authority`, the key connections are pooled under.
  [[nodiscard]] std::string origin() const;
};

/// Parses `https://host[:port][/path][?query]`; throws std::invalid_argument naming the URL
/// (user information replaced by `***`) and what is wrong with it.
[[nodiscard]] Url parse_url(std::string_view text);

/// Where the user information (`user:password@`) of `url` is: [first, second), '@' included;
/// an empty range when there is none.
[[nodiscard]] std::pair<std::size_t, std::size_t> user_info_span(std::string_view url);

/// `url` with any `user:password@` replaced by `***@`, for messages: user information is a secret.
[[nodiscard]] std::string without_user_info(std::string_view url);

/// True when `host` is an IPv4 or IPv6 literal (certificates name those as IP SANs).
[[nodiscard]] bool is_ip_literal(std::string_view host);

/// The origin form (`/path?query`, no fragment) of a request target in origin or absolute
/// form (`http://host/path?query`, what clients send to a proxy). Always starts with `/`: `/`
/// when the path is empty, and a relative target gains a leading `/`.
[[nodiscard]] std::string origin_form(std::string_view target);
/// The path of an absolute or origin-form URL, without query string or fragment.
[[nodiscard]] std::string url_path(std::string_view url);
/// The raw query string of a URL (after `?`, before `#`), or empty.
[[nodiscard]] std::string_view url_query(std::string_view url);
/// Decodes `%XX` escapes, and `+` as space (form encoding, as query strings use it).
/// Malformed escapes are kept literally.
[[nodiscard]] std::string percent_decode(std::string_view text);
/// Encodes every byte except the unreserved ones (RFC 3986 §2.3: letters, digits, `-._~`) as
/// `%XX`, so the text is safe as a query name or value.
[[nodiscard]] std::string percent_encode(std::string_view text);
/// Parses `a=1&b=two%20words&a=3` into decoded pairs, in order; `flag` alone gives ("flag", "").
[[nodiscard]] std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

}  // namespace fdk::http
