#include "oci/http/url.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <stdexcept>

namespace fdk::oci::http {
namespace {

int default_port(std::string_view scheme) { return scheme == "https" ? 443 : 80; }

[[noreturn]] void reject(std::string_view url, std::string_view why) {
  throw std::invalid_argument("invalid URL '" + without_user_info(url) + "': " + std::string(why) +
                              " (expected http://host[:port]/path or https://...)");
}

int parse_port(std::string_view url, std::string_view digits) {
  if (digits.empty() || digits.size() > 5) reject(url, "the port is not a number from 1 to 65535");
  int port = 0;
  for (char c : digits) {
    if (!std::isdigit(static_cast<unsigned char>(c))) reject(url, "the port is not a number");
    port = port * 10 + (c - '0');
  }
  if (port < 1 || port > 65535) reject(url, "the port is not a number from 1 to 65535");
  return port;
}

}  // namespace

// Where the user information of `url` is: [begin, end) including the '@'; begin == end if none.
std::pair<std::size_t, std::size_t> user_info_span(std::string_view url) {
  const auto scheme_end = url.find("://");
  const std::size_t begin = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const auto authority_end = url.find_first_of("/?#", begin);
  const auto at = url.substr(0, authority_end).rfind('@');
  if (at == std::string_view::npos || at < begin) return {begin, begin};
  return {begin, at + 1};
}

std::string without_user_info(std::string_view url) {
  const auto [begin, end] = user_info_span(url);
  if (end == begin) return std::string(url);
  return std::string(url.substr(0, begin)) + "***@" + std::string(url.substr(end));
}

Url parse_url(std::string_view text) {
  Url url;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) reject(text, "no scheme");
  for (char c : text.substr(0, scheme_end)) url.scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (url.scheme != "http" && url.scheme != "https") reject(text, "the scheme is neither http nor https");

  std::string_view rest = text.substr(scheme_end + 3);
  const auto authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view target = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (const auto fragment = target.find('#'); fragment != std::string_view::npos) target = target.substr(0, fragment);
  if (authority.find('@') != std::string_view::npos) reject(text, "user information in URLs is not supported");

  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) reject(text, "an IPv6 address lacks its closing ']'");
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') reject(text, "unexpected text after the IPv6 address");
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (url.host.empty()) reject(text, "no host");
  url.port = port_text.empty() ? default_port(url.scheme) : parse_port(text, port_text);
  url.target = target.empty() ? "/" : std::string(target);
  if (url.target.front() == '?') url.target.insert(0, "/");
  return url;
}

std::string Url::authority() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  std::string result = ipv6 ? "[" + host + "]" : host;
  if (port != default_port(scheme)) result += ":" + std::to_string(port);
  return result;
}

std::string Url::origin() const { return scheme + "://" + authority(); }

bool is_ip_literal(std::string_view host) {
  const std::string copy(host);
  unsigned char buffer[16];
  return inet_pton(AF_INET, copy.c_str(), buffer) == 1 || inet_pton(AF_INET6, copy.c_str(), buffer) == 1;
}

}  // namespace fdk::oci::http
