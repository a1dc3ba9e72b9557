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

struct HttpClientSettings {
  TrustSettings trust;
  EnvLookup env = process_env;  ///< where proxy variables are read from
  std::size_t max_idle_per_origin = 4;
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientSettings settings = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Sends `request` and reads the whole response, reusing an idle connection to the same
  /// origin when one is left. A reused connection that turns out closed by the server is
  /// replaced once, transparently (the request never reached it). Throws NetworkError.
  HttpResponse send(const HttpRequest& request, SteadyTime until);

  /// Idle connections currently pooled (for tests of keep-alive reuse).
  [[nodiscard]] std::size_t idle_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fdk::oci::http
