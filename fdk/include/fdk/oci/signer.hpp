// fdk::oci::RequestSigner — OCI signature v1 with a key id and an RSA private key.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "fdk/export.hpp"
#include "fdk/oci/auth.hpp"

namespace fdk::oci {

/// Signs requests with a fixed key id and RSA private key. The PEM is parsed on the first
/// sign (so constructing one costs nothing at start-up) and the key is reused afterwards.
/// Thread-safe.
///
/// @code
///   fdk::oci::RequestSigner signer(tenancy + "/" + user + "/" + fingerprint, pem);
///   fdk::oci::SignableRequest req{"GET", "iaas.us-ashburn-1.oraclecloud.com",
///                                 "/20160918/instances/" + id, {}, ""};
///   signer.sign(req);  // adds date and authorization
/// @endcode
class FDK_API RequestSigner {
 public:
  /// `key_origin` names where the key came from (a file or variable) in error messages.
  RequestSigner(std::string key_id, std::string private_key_pem, std::optional<std::string> passphrase = std::nullopt,
                std::string key_origin = "private key");
  RequestSigner(RequestSigner&&) noexcept;
  RequestSigner& operator=(RequestSigner&&) noexcept;
  ~RequestSigner();

  /// Signs `request` in place dated now. Throws CredentialsError when the key cannot be parsed.
  void sign(SignableRequest& request) const;

  /// Signs `request` in place dated `when` (tests, reproducible vectors).
  void sign_at(SignableRequest& request, std::chrono::system_clock::time_point when) const;

  /// Signs `request` with this exact `date` value (reproducing recorded signatures).
  void sign_with_date(SignableRequest& request, std::string http_date) const;

  /// The key id placed in the Authorization header.
  [[nodiscard]] const std::string& key_id() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fdk::oci
