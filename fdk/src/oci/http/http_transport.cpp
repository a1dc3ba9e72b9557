#include "fdk/oci/http_transport.hpp"

#include <memory>

#include "oci/http/http_client.hpp"

namespace fdk::oci {

HttpTransport make_http_transport(TransportOptions options) {
  // Shared by the proxy lookup and every copy of the transport.
  auto config = std::make_shared<const fdk::Config>(options.config ? std::move(*options.config)
                                                                   : fdk::Config::from_environment());
  http::HttpClientSettings settings;
  settings.trust.ca_directory = options.ca_directory;
  settings.trust.ca_bundle_file = options.ca_bundle_file;
  settings.trust.extra_ca_file =
      options.extra_ca_file.empty() ? config->get_or("OCI_CA_BUNDLE", "") : options.extra_ca_file;
  settings.env = [config](const char* name) { return config->get(name); };
  settings.max_response_body_bytes = options.max_response_bytes;
  auto client = std::make_shared<http::HttpClient>(std::move(settings));
  const auto timeout = options.timeout;
  return [client, timeout](const TransportRequest& request) {
    http::HttpResponse response = client->send(http::HttpRequest{request.method, request.url, request.headers, request.body},
                                               std::chrono::steady_clock::now() + timeout);
    return TransportResponse{response.status, std::move(response.body), std::move(response.headers)};
  };
}

}  // namespace fdk::oci
