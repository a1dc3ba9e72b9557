#include "oci/http/proxy.hpp"

#include <cstdlib>
#include <stdexcept>

#include "fdk/headers.hpp"

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

std::optional<std::string> first_set(const EnvLookup& env, const char* a, const char* b) {
  for (const char* name : {a, b}) {
    if (name == nullptr) continue;
    if (auto value = env(name); value && !trim(*value).empty()) return std::string(trim(*value));
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> process_env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

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

std::optional<Url> proxy_for(const Url& target, const EnvLookup& env) {
  if (auto exempt = first_set(env, "no_proxy", "NO_PROXY"); exempt && no_proxy_matches(*exempt, target.host)) {
    return std::nullopt;
  }
  auto proxy = target.is_https() ? first_set(env, "https_proxy", "HTTPS_PROXY") : first_set(env, "http_proxy", nullptr);
  if (!proxy) return std::nullopt;
  if (proxy->find("://") == std::string::npos) proxy->insert(0, "http://");
  Url url = parse_url(*proxy);
  if (url.is_https()) {
    throw std::invalid_argument("proxy URL '" + url.origin() +
                                "' uses https; only http:// proxies (CONNECT tunnels) are supported");
  }
  return url;
}

}  // namespace fdk::oci::http
