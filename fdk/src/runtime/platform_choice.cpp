#include "runtime/platform_choice.hpp"

#include <optional>
#include <stdexcept>

#include "http/url.hpp"

namespace fdk::runtime {

namespace {

constexpr int kDefaultHttpPort = 8080;

std::optional<int> port_number(const std::string& text) {
  if (text.empty() || text.size() > 5 || text.find_first_not_of("0123456789") != std::string::npos) return {};
  int port = std::stoi(text);
  if (port < 1 || port > 65535) return {};
  return port;
}

std::string without_brackets(std::string host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
  return host;
}

// FDK_HTTP_ADDRESS and FDK_HTTP_PORT win over what the platform implies.
std::variant<PlatformChoice, std::string> http_choice(const Config& config, TcpEndpoint endpoint, std::string reason) {
  if (auto address = config.get("FDK_HTTP_ADDRESS"); address && !address->empty()) {
    endpoint.host = without_brackets(*address);
  }
  if (auto text = config.get("FDK_HTTP_PORT"); text && !text->empty()) {
    auto port = port_number(*text);
    if (!port) return "FDK_HTTP_PORT='" + *text + "' is not a port number (1 to 65535); fix or unset it.";
    endpoint.port = *port;
  }
  return PlatformChoice{PlatformKind::http, std::move(reason), std::move(endpoint)};
}

std::variant<PlatformChoice, std::string> upstream_choice(const Config& config, const std::string& variable,
                                                          const std::string& url) {
  try {
    http::Url parsed = http::parse_url(url);
    return http_choice(config, TcpEndpoint{parsed.host, parsed.port}, "mode=http, " + variable + "=" + url);
  } catch (const std::invalid_argument& error) {
    return variable + " is not a usable URL for the function to listen on: " + error.what();
  }
}

std::variant<PlatformChoice, std::string> explicit_choice(const Config& config, const std::string& name) {
  std::string reason = "FDK_PLATFORM=" + name;
  if (name == "fn") return PlatformChoice{PlatformKind::fn, reason, {}};
  if (name == "stdio") return PlatformChoice{PlatformKind::stdio, reason, {}};
  if (name == "http") {
    TcpEndpoint endpoint{"0.0.0.0", kDefaultHttpPort};
    if (auto text = config.get("PORT"); text && !text->empty()) {
      auto port = port_number(*text);
      if (!port) return "PORT='" + *text + "' is not a port number (1 to 65535).";
      endpoint.port = *port;
    }
    return http_choice(config, endpoint, reason);
  }
  return "FDK_PLATFORM is '" + name + "', but this build serves only fn, http or stdio; fix or unset it.";
}

}  // namespace

std::variant<PlatformChoice, std::string> choose_platform(const Config& config) {
  if (auto name = config.get("FDK_PLATFORM"); name && !name->empty()) return explicit_choice(config, *name);
  if (auto listener = config.get("FN_LISTENER"); listener && !listener->empty()) {
    return PlatformChoice{PlatformKind::fn, "FN_LISTENER", {}};
  }
  if (config.get("Http_Method")) return PlatformChoice{PlatformKind::stdio, "Http_Method", {}};
  if (config.get_or("mode", "") == "http") {
    for (const char* variable : {"upstream_url", "http_upstream_url"}) {
      if (auto url = config.get(variable); url && !url->empty()) return upstream_choice(config, variable, *url);
    }
  }
  if (auto text = config.get("PORT"); text && !text->empty()) {
    auto port = port_number(*text);
    if (!port) return "PORT='" + *text + "' is not a port number (1 to 65535).";
    return http_choice(config, TcpEndpoint{"0.0.0.0", *port}, "PORT=" + *text);
  }
  return std::string(
      "FN_LISTENER is not set: this binary is an Fn function and expects the Fn agent (or `fdk-invoke`) to start it "
      "with FN_LISTENER=unix:/path/to/lsnr.sock. On an HTTP host set PORT (Knative and Cloud Run do), under an "
      "OpenFaaS watchdog mode=http with upstream_url (http) or Http_Method (stdio), or choose with "
      "FDK_PLATFORM=fn|http|stdio.");
}

}  // namespace fdk::runtime
