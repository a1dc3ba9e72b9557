#include "http/url.hpp"

#include <arpa/inet.h>

#include <cctype>
#include <stdexcept>

namespace fdk::http {
namespace {

int default_port(std::string_view scheme) { return scheme == "https" ? 443 : 80; }

// An IPv6 literal's colons would run into the port's: it goes in brackets.
std::string bracketed(const std::string& host) { return host.find(':') != std::string::npos ? "[" + host + "]" : host; }

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

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A URL split at its first level: `scheme://authority` (empty for origin-form targets) and
// the rest, path and query without the fragment.
struct Parts {
  std::string_view scheme;
  std::string_view authority;
  std::string_view target;
  bool absolute = false;
};

Parts split(std::string_view url) {
  url = url.substr(0, url.find('#'));
  Parts parts;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || url.substr(0, scheme_end).find_first_of("/?") != std::string_view::npos) {
    parts.target = url;
    return parts;
  }
  parts.absolute = true;
  parts.scheme = url.substr(0, scheme_end);
  const std::string_view rest = url.substr(scheme_end + 3);
  const auto authority_end = rest.find_first_of("/?");
  parts.authority = rest.substr(0, authority_end);
  parts.target = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  return parts;
}

}  // namespace

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
  const Parts parts = split(text);
  if (!parts.absolute) reject(text, "no scheme");
  Url url;
  for (char c : parts.scheme) url.scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (url.scheme != "http" && url.scheme != "https") reject(text, "the scheme is neither http nor https");
  const std::string_view authority = parts.authority;
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
  url.target = origin_form(parts.target);
  return url;
}

std::string Url::authority() const { return port != default_port(scheme) ? host_and_port() : bracketed(host); }

std::string Url::host_and_port() const { return bracketed(host) + ":" + std::to_string(port); }

std::string Url::origin() const { return scheme + "://" + authority(); }

bool is_ip_literal(std::string_view host) {
  const std::string copy(host);
  unsigned char buffer[16];
  return inet_pton(AF_INET, copy.c_str(), buffer) == 1 || inet_pton(AF_INET6, copy.c_str(), buffer) == 1;
}

std::string origin_form(std::string_view target) {
  const std::string_view rest = split(target).target;
  // Whatever was sent, the answer is a path a server can route: `?q` and `a/b` gain their '/'.
  if (rest.empty() || rest.front() != '/') return "/" + std::string(rest);
  return std::string(rest);
}

std::string url_path(std::string_view url) {
  const std::string_view rest = split(url).target;
  const std::string_view path = rest.substr(0, rest.find('?'));
  return path.empty() ? std::string("/") : std::string(path);
}

std::string_view url_query(std::string_view url) {
  url = url.substr(0, url.find('#'));
  const auto mark = url.find('?');
  return mark == std::string_view::npos ? std::string_view{} : url.substr(mark + 1);
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string percent_encode(std::string_view text) {
  static constexpr std::string_view kHexDigits = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHexDigits[byte >> 4]);
      out.push_back(kHexDigits[byte & 0x0Fu]);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (part.empty()) continue;
    const auto eq = part.find('=');
    if (eq == std::string_view::npos) {
      pairs.emplace_back(percent_decode(part), std::string());
    } else {
      pairs.emplace_back(percent_decode(part.substr(0, eq)), percent_decode(part.substr(eq + 1)));
    }
  }
  return pairs;
}

}  // namespace fdk::http
