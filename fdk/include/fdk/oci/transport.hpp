// fdk::oci::HttpTransport — the one HTTP exchange credential providers need (metadata service,
// federation), injected so fdk-oci's own client (or a test fake) performs it.
#pragma once

#include <functional>
#include <string>
#include <utility>

#include "fdk/export.hpp"
#include "fdk/headers.hpp"

namespace fdk::oci {

/// An outgoing request: absolute URL (`http://169.254.169.254/opc/v2/instance/region`).
struct FDK_API TransportRequest {
  std::string method;
  std::string url;
  Headers headers;
  std::string body;
};

/// What came back. Network failures are reported by throwing any std::exception.
struct FDK_API TransportResponse {
  TransportResponse() = default;
  /// `{200, "body"}` and `{200, "body", headers}` both work.
  TransportResponse(int status_code, std::string body_text, Headers response_headers = {})
      : status(status_code), body(std::move(body_text)), headers(std::move(response_headers)) {}

  int status = 0;
  std::string body;
  Headers headers;  ///< e.g. `opc-request-id`, `opc-work-request-id`
};

/// Performs one exchange, synchronously, with no retries of its own and TLS verification on.
///
/// @code
///   fdk::oci::HttpTransport transport = [&](const fdk::oci::TransportRequest& r) {
///     auto reply = my_client.send(r.method, r.url, r.headers, r.body);
///     return fdk::oci::TransportResponse{reply.status, reply.body};
///   };
/// @endcode
using HttpTransport = std::function<TransportResponse(const TransportRequest&)>;

}  // namespace fdk::oci
