// Which proxy, if any, a request goes through: the https_proxy/http_proxy/no_proxy
// conventions curl and the OCI SDKs follow, and the CONNECT request a tunnel starts with. No I/O.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "oci/http/url.hpp"

namespace fdk::oci::http {

/// Reads a setting (the Client's fdk::Config); empty means no setting is set.
using EnvLookup = std::function<std::optional<std::string>(const char* name)>;

/// A proxy to go through, and the credentials it wants when its URL carried `user:password@`.
struct Proxy {
  Url url;
  /// The `Proxy-Authorization` value (`Basic <base64 of user:password>`); empty without credentials.
  std::string authorization;
};

/// The proxy for `target`: `https_proxy`/`HTTPS_PROXY` for https URLs, `http_proxy` for http
/// (the upper-case `HTTP_PROXY` is ignored, as curl does, because CGI servers let clients set it),
/// unless `no_proxy`/`NO_PROXY` lists the host. A proxy URL without scheme means `http://`.
/// An unusable proxy URL throws NetworkError (not retryable) naming the variable; the URL's user
/// information never appears in a message.
[[nodiscard]] std::optional<Proxy> proxy_for(const Url& target, const EnvLookup& env);

/// The CONNECT request that opens a tunnel to `target` through `proxy`: `CONNECT host:port`
/// (the port always written, as RFC 9110 9.3.6 wants), the same Host, and `Proxy-Authorization`
/// when the proxy has credentials.
[[nodiscard]] std::string connect_request(const Url& target, const Proxy& proxy);

/// True when the comma-separated `no_proxy` list exempts `host`: `*`, the exact host, or a
/// domain suffix (`example.com` and `.example.com` both match `a.example.com`).
[[nodiscard]] bool no_proxy_matches(std::string_view no_proxy, std::string_view host);

}  // namespace fdk::oci::http
