#include "runtime/http_endpoint.hpp"

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

// What the platform implies, before the FDK_HTTP_* overrides.
std::variant<TcpEndpoint, std::string> platform_endpoint(const Config& config) {
  if (config.get_or("mode", "") == "http") {
    for (const char* variable : {"upstream_url", "http_upstream_url"}) {
      auto url = config.get(variable);
      if (!url || url->empty()) continue;
      try {
        http::Url parsed = http::parse_url(*url);
        return TcpEndpoint{parsed.host, parsed.port};
      } catch (const std::invalid_argument& error) {
        return std::string(variable) + " is not a usable URL for the function to listen on: " + error.what();
      }
    }
  }
  if (auto text = config.get("PORT"); text && !text->empty()) {
    auto port = port_number(*text);
    if (!port) return "PORT='" + *text + "' is not a port number (1 to 65535).";
    return TcpEndpoint{"0.0.0.0", *port};
  }
  return TcpEndpoint{"0.0.0.0", kDefaultHttpPort};
}

}  // namespace

std::variant<TcpEndpoint, std::string> http_endpoint(const Config& config) {
  auto implied = platform_endpoint(config);
  if (auto* problem = std::get_if<std::string>(&implied)) return *problem;
  TcpEndpoint endpoint = std::get<TcpEndpoint>(implied);
  if (auto address = config.get("FDK_HTTP_ADDRESS"); address && !address->empty()) {
    endpoint.host = without_brackets(*address);
  }
  if (auto text = config.get("FDK_HTTP_PORT"); text && !text->empty()) {
    auto port = port_number(*text);
    if (!port) return "FDK_HTTP_PORT='" + *text + "' is not a port number (1 to 65535); fix or unset it.";
    endpoint.port = *port;
  }
  return endpoint;
}

}  // namespace fdk::runtime
