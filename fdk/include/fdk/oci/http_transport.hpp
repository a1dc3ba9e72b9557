// fdk::oci::make_http_transport — fdk-oci's own HTTP(S) client as an HttpTransport, for the
// credential providers that fetch over HTTP (instance principal: metadata service, federation).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "fdk/config.hpp"
#include "fdk/export.hpp"
#include "fdk/oci/transport.hpp"

namespace fdk::oci {

/// How the transport connects.
struct FDK_API TransportOptions {
  /// Longest time one exchange may take (connect, send, receive).
  std::chrono::milliseconds timeout{10000};
  /// Hashed CA directory; the default trust store.
  std::string ca_directory = "/etc/ssl/certs";
  /// A PEM bundle file to trust as well.
  std::string ca_bundle_file;
  /// One more trusted CA file; empty means the setting `OCI_CA_BUNDLE` of `config`, if set.
  std::string extra_ca_file;
  /// Longest response body accepted; a longer one throws NetworkError (see ClientOptions).
  std::size_t max_response_bytes = std::size_t(16) << 20;
  /// Where `OCI_CA_BUNDLE` and the proxy variables are read from; empty means the process environment.
  std::optional<fdk::Config> config;
};

/// A transport over the compact keep-alive client: proxies from the config (or environment), TLS always
/// verified, no retries. Network failures throw fdk::oci::NetworkError. Copies share connections.
///
/// @code
///   auto transport = fdk::oci::make_http_transport();
///   auto reply = transport({"GET", "http://169.254.169.254/opc/v2/instance/region",
///                           {{"Authorization", "Bearer Oracle"}}, ""});
/// @endcode
[[nodiscard]] FDK_API HttpTransport make_http_transport(TransportOptions options = {});

}  // namespace fdk::oci
