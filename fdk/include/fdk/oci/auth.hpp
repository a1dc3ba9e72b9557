// fdk::oci::AuthProvider — the identity OCI requests are signed with.
#pragma once

#include <string>
#include <string_view>

#include "fdk/export.hpp"
#include "fdk/headers.hpp"

namespace fdk::oci {

/// A request about to be sent, as the signer sees it.
struct FDK_API SignableRequest {
  std::string method;          ///< upper case: GET, POST, ...
  std::string host;            ///< `host[:port]`, exactly as in the Host header
  std::string path_and_query;  ///< the request target as sent on the wire (already percent-encoded)
  Headers headers;             ///< the signer adds date, content-*, x-content-sha256 and authorization
  std::string body;
};

/// Where signing credentials come from: resource principal, instance principal or API key.
/// Implementations are thread-safe.
class FDK_API AuthProvider {
 public:
  virtual ~AuthProvider() = default;
  /// Signs `request` in place (OCI signature version 1), first re-reading credentials that
  /// are close to expiry. Call again for every retry: each attempt needs a fresh date.
  virtual void sign(SignableRequest& request) = 0;
  /// The region the credentials belong to, e.g. `us-ashburn-1`.
  [[nodiscard]] virtual std::string region() const = 0;
  /// The tenancy OCID.
  [[nodiscard]] virtual std::string tenancy_id() const = 0;
  /// Called after a 401: re-reads or re-fetches the credentials. True when a retry may succeed.
  virtual bool refresh() = 0;
  /// `resource_principal`, `instance_principal` or `api_key`.
  [[nodiscard]] virtual std::string_view kind() const noexcept = 0;
};

}  // namespace fdk::oci
