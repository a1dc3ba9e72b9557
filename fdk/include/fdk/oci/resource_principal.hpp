// fdk::oci::ResourcePrincipalProvider — the identity OCI Functions injects (version 2.2).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "fdk/config.hpp"
#include "fdk/export.hpp"
#include "fdk/oci/auth.hpp"
#include "fdk/oci/clock.hpp"
#include "fdk/oci/session_token.hpp"

namespace fdk::oci {

/// Resource Principal v2.2 read from the environment exactly as the OCI SDKs read it:
///
/// | variable | value |
/// |---|---|
/// | `OCI_RESOURCE_PRINCIPAL_VERSION` | `2.2` |
/// | `OCI_RESOURCE_PRINCIPAL_RPST` | the session token, or an absolute path to a file holding it |
/// | `OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM` | PEM key (PKCS#1, PKCS#8, encrypted), or an absolute path |
/// | `OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE` | optional; inline when the key is inline, a path when the key is a path |
/// | `OCI_RESOURCE_PRINCIPAL_REGION` | region id (`us-ashburn-1`) or short code (`iad`) |
///
/// The constructor only checks the variables; token and key are read and parsed on first use.
/// Before signing, files are re-read when the token expires within 5 minutes; `refresh()`
/// re-reads them unconditionally (call it after a 401). Thread-safe.
///
/// @code
///   fdk::oci::ResourcePrincipalProvider auth(ctx.config());
///   auto compartment = auth.claims().compartment_id;
/// @endcode
class FDK_API ResourcePrincipalProvider final : public AuthProvider {
 public:
  /// Throws CredentialsError naming the variable at fault when the settings are incomplete,
  /// of another version, or mix an inline value with a file path.
  explicit ResourcePrincipalProvider(const Config& environment, Clock clock = {});
  ~ResourcePrincipalProvider() override;
  ResourcePrincipalProvider(const ResourcePrincipalProvider&) = delete;
  ResourcePrincipalProvider& operator=(const ResourcePrincipalProvider&) = delete;

  void sign(SignableRequest& request) override;
  [[nodiscard]] std::string region() const override;
  [[nodiscard]] std::string tenancy_id() const override;
  /// Re-reads token, key and passphrase. True when any of them comes from a file (so the
  /// platform may have rotated it); false when all are inline and nothing can change.
  bool refresh() override;
  [[nodiscard]] std::string_view kind() const noexcept override;

  /// The current token's claims (`res_tenant`, `res_compartment`, `exp`), loading them if needed.
  [[nodiscard]] SessionTokenClaims claims() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fdk::oci
