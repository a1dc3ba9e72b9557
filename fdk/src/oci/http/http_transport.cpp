#include "fdk/oci/http_transport.hpp"

#include <cstdlib>
#include <memory>

#include "oci/http/http_client.hpp"

namespace fdk::oci {

HttpTransport make_http_transport(TransportOptions options) {
  http::HttpClientSettings settings;
  settings.trust.ca_directory = options.ca_directory;
  settings.trust.ca_bundle_file = options.ca_bundle_file;
  settings.trust.extra_ca_file = options.extra_ca_file;
  if (settings.trust.extra_ca_file.empty()) {
    if (const char* extra = std::getenv("OCI_CA_BUNDLE")) settings.trust.extra_ca_file = extra;
  }
  auto client = std::make_shared<http::HttpClient>(std::move(settings));
  const auto timeout = options.timeout;
  return [client, timeout](const TransportRequest& request) {
    http::HttpResponse response = client->send(http::HttpRequest{request.method, request.url, request.headers, request.body},
                                               std::chrono::steady_clock::now() + timeout);
    return TransportResponse{response.status, std::move(response.body)};
  };
}

}  // namespace fdk::oci
