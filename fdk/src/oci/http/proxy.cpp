#include "oci/http/proxy.hpp"

#include <algorithm>
#include <stdexcept>

#include "fdk/headers.hpp"
#include "fdk/oci/call_errors.hpp"
#include "encoding/base64.hpp"
#include "http/message_writer.hpp"

namespace fdk::oci::http {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool ends_with_domain(std::string_view host, std::string_view domain) {
  if (host.size() < domain.size()) return false;
  if (!iequals(host.substr(host.size() - domain.size()), domain)) return false;
  return host.size() == domain.size() || host[host.size() - domain.size() - 1] == '.';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// User information is percent-encoded in URLs (`p%40ss` for `p@ss`); the proxy wants it raw.
std::string percent_decoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

Proxy parse_proxy(std::string text, const char* variable) {
  if (text.find("://") == std::string::npos) text.insert(0, "http://");
  const auto [begin, end] = user_info_span(text);
  Proxy proxy;
  if (end > begin) {
    const std::string_view user_info = std::string_view(text).substr(begin, end - begin - 1);
    const auto colon = user_info.find(':');
    std::string credentials = percent_decoded(user_info.substr(0, colon)) + ":" +
                              (colon == std::string_view::npos ? "" : percent_decoded(user_info.substr(colon + 1)));
    proxy.authorization = "Basic " + encoding::base64_encode(credentials);
    std::fill(credentials.begin(), credentials.end(), '\0');
    text.erase(begin, end - begin);
  }
  try {
    proxy.url = parse_url(text);
  } catch (const std::invalid_argument& error) {
    throw NetworkError(std::string("the proxy in ") + variable + " is not usable: " + error.what(), false);
  }
  if (proxy.url.is_https()) {
    throw NetworkError(std::string("the proxy in ") + variable + " ('" + proxy.url.origin() +
                           "') uses https; only http:// proxies (CONNECT tunnels) are supported",
                       false);
  }
  return proxy;
}

struct Setting {
  const char* variable;
  std::string value;
};

std::optional<Setting> first_setting(const EnvLookup& env, const char* a, const char* b) {
  if (!env) return std::nullopt;
  for (const char* name : {a, b}) {
    if (name == nullptr) continue;
    if (auto value = env(name); value && !trim(*value).empty()) return Setting{name, std::string(trim(*value))};
  }
  return std::nullopt;
}

}  // namespace

bool no_proxy_matches(std::string_view no_proxy, std::string_view host) {
  while (!no_proxy.empty()) {
    const auto comma = no_proxy.find(',');
    std::string_view entry = trim(no_proxy.substr(0, comma));
    no_proxy = comma == std::string_view::npos ? std::string_view{} : no_proxy.substr(comma + 1);
    if (entry == "*") return true;
    if (const auto colon = entry.rfind(':'); colon != std::string_view::npos && entry.find(':') == colon) {
      entry = entry.substr(0, colon);  // "host:port" entries: the port is not compared
    }
    if (!entry.empty() && entry.front() == '.') entry.remove_prefix(1);
    if (!entry.empty() && ends_with_domain(host, entry)) return true;
  }
  return false;
}

std::string connect_request(const Url& target, const Proxy& proxy) {
  const std::string authority = target.host_and_port();
  std::string request;
  fdk::http::write_request_line(request, "CONNECT", authority);
  fdk::http::write_header(request, "Host", authority);
  if (!proxy.authorization.empty()) fdk::http::write_header(request, "Proxy-Authorization", proxy.authorization);
  fdk::http::end_head(request);
  return request;
}

std::optional<Proxy> proxy_for(const Url& target, const EnvLookup& env) {
  if (auto exempt = first_setting(env, "no_proxy", "NO_PROXY"); exempt && no_proxy_matches(exempt->value, target.host)) {
    return std::nullopt;
  }
  auto setting =
      target.is_https() ? first_setting(env, "https_proxy", "HTTPS_PROXY") : first_setting(env, "http_proxy", nullptr);
  if (!setting) return std::nullopt;
  return parse_proxy(std::move(setting->value), setting->variable);
}

}  // namespace fdk::oci::http
