// What the emulator plays for instance principals: the metadata service's identity documents
// and the `/v1/x509` federation endpoint that turns them into a session token.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "http_server.hpp"
#include "oci/auth/public_key.hpp"

namespace oci_emulator {

/// An instance's certificate, key and intermediate, as the metadata service serves them.
class InstanceIdentity {
 public:
  /// From PEM texts; throws std::invalid_argument when the certificate is unusable.
  InstanceIdentity(std::string region, std::string certificate_pem, std::string private_key_pem,
                   std::string intermediate_pem);

  /// Answers `GET <base>/instance/region` and `<base>/identity/{cert,key,intermediate}.pem`
  /// (`what` is the part after `/opc/v2/`); requires `Authorization: Bearer Oracle`.
  [[nodiscard]] Reply metadata(const Request& request, const std::string& what) const;

  /// The federation request's signing key must be the instance certificate's, with keyId
  /// `<tenancy>/fed-x509/<sha1 fingerprint>`. Nothing when that holds; else the reason.
  [[nodiscard]] std::optional<std::string> federation_reject_reason(const Request& request) const;

  /// A session token (JWT, unsigned) for the tenancy, expiring after `lifetime`.
  [[nodiscard]] std::string issue_token(std::chrono::seconds lifetime) const;

  [[nodiscard]] const std::string& tenancy() const noexcept { return tenancy_; }

 private:
  std::string region_, certificate_pem_, private_key_pem_, intermediate_pem_;
  std::string tenancy_, fingerprint_;
  fdk::oci::detail::PublicKey leaf_key_;
};

}  // namespace oci_emulator
