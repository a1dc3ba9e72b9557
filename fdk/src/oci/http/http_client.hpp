// A compact HTTP/1.1 client: plain and TLS connections, proxies from the environment,
// keep-alive reuse per origin, every step bounded by a time limit. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "fdk/headers.hpp"
#include "oci/http/connection.hpp"
#include "oci/http/proxy.hpp"
#include "oci/http/response_parser.hpp"
#include "oci/http/tls_context.hpp"

namespace fdk::oci::http {

struct HttpRequest {
  std::string method = "GET";
  std::string url;  ///< absolute http:// or https:// URL
  Headers headers;  ///< Host, Content-Length and Connection are added by the client
  std::string body;
};

/// The largest response body read by default: OCI's JSON answers are far smaller, and a function
/// with OCI's smallest memory (128 MB) must survive holding it a few times over while parsing.
inline constexpr std::size_t kDefaultMaxResponseBodyBytes = 16u << 20;

struct HttpClientSettings {
  TrustSettings trust;
  EnvLookup env;  ///< where proxy variables are read from; empty: no proxy
  std::size_t max_idle_per_origin = 4;
  /// A longer response body is refused with a NetworkError (not retryable).
  std::size_t max_response_body_bytes = kDefaultMaxResponseBodyBytes;
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientSettings settings = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Sends `request` and reads the whole response, reusing an idle connection to the same
  /// origin when one is left. When a reused connection turns out closed by the server before any
  /// answer, the request is sent again on a new one only if that is safe: an idempotent method
  /// (GET, HEAD, PUT, DELETE, OPTIONS) or an `opc-retry-token` (the server may have acted on it).
  /// Throws NetworkError; std::invalid_argument for a request that cannot be written as given (a
  /// header name or value with a control character such as CR or LF, which would start a new
  /// header line on the wire).
  HttpResponse send(const HttpRequest& request, SteadyTime until);

  /// Idle connections currently pooled (for tests of keep-alive reuse).
  [[nodiscard]] std::size_t idle_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fdk::oci::http
