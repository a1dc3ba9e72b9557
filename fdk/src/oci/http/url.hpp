// Splitting the absolute URLs the OCI client talks to. No I/O.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace fdk::oci::http {

/// An absolute `http://` or `https://` URL split into what a connection needs.
struct Url {
  std::string scheme;  ///< `http` or `https`, lower case
  std::string host;    ///< without brackets for IPv6 literals
  int port = 0;        ///< explicit or the scheme's default
  std::string target;  ///< path and query as sent on the wire; `/` when empty

  [[nodiscard]] bool is_https() const noexcept { return scheme == "https"; }
  /// `host` or `host:port` when the port is not the scheme's default (the Host header).
  [[nodiscard]] std::string authority() const;
  /// `scheme://authority`, the key connections are pooled under.
  [[nodiscard]] std::string origin() const;
};

/// Parses `https://host[:port][/path][?query]`; throws std::invalid_argument naming the URL
/// and what is wrong with it.
[[nodiscard]] Url parse_url(std::string_view text);

/// Where the user information (`user:password@`) of `url` is: [first, second), '@' included;
/// an empty range when there is none.
[[nodiscard]] std::pair<std::size_t, std::size_t> user_info_span(std::string_view url);

/// `url` with any `user:password@` replaced by `***@`, for messages: user information is a secret.
[[nodiscard]] std::string without_user_info(std::string_view url);

/// True when `host` is an IPv4 or IPv6 literal (certificates name those as IP SANs).
[[nodiscard]] bool is_ip_literal(std::string_view host);

}  // namespace fdk::oci::http
