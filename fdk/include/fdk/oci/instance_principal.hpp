// fdk::oci::InstancePrincipalProvider — the identity of the compute instance the code runs on.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "fdk/config.hpp"
#include "fdk/export.hpp"
#include "fdk/oci/auth.hpp"
#include "fdk/oci/clock.hpp"
#include "fdk/oci/session_token.hpp"
#include "fdk/oci/transport.hpp"

namespace fdk::oci {

/// Instance principal: reads the instance certificate and key from the metadata service and
/// exchanges them (X.509 federation) for a session token used with a fresh RSA-2048 session key.
///
/// Environment (from `environment`):
/// - `OCI_METADATA_BASE_URL` — metadata service, default `http://169.254.169.254/opc/v2/`
///   (every request carries `Authorization: Bearer Oracle`).
/// - `OCI_AUTH_ENDPOINT` — federation base URL (the emulator's, e.g. `https://127.0.0.1:8443`);
///   default `https://auth.<region>.<realm domain>`. `/v1/x509` is appended.
///
/// Nothing is fetched until first use. The token is renewed before signing when it expires
/// within 5 minutes, and on `refresh()`. Thread-safe; the transport is called under a lock.
///
/// @code
///   fdk::oci::InstancePrincipalProvider auth(fdk::Config::from_environment(), my_transport);
/// @endcode
class FDK_API InstancePrincipalProvider final : public AuthProvider {
 public:
  InstancePrincipalProvider(const Config& environment, HttpTransport transport, Clock clock = {});
  ~InstancePrincipalProvider() override;
  InstancePrincipalProvider(const InstancePrincipalProvider&) = delete;
  InstancePrincipalProvider& operator=(const InstancePrincipalProvider&) = delete;

  void sign(SignableRequest& request) override;
  /// The instance's region (fetched from the metadata service once).
  [[nodiscard]] std::string region() const override;
  /// The tenancy named in the instance certificate.
  [[nodiscard]] std::string tenancy_id() const override;
  /// Re-fetches certificates and a new session token; true when that succeeded.
  bool refresh() override;
  [[nodiscard]] std::string_view kind() const noexcept override;

  /// The current session token's claims, federating first if needed.
  [[nodiscard]] SessionTokenClaims claims() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fdk::oci
