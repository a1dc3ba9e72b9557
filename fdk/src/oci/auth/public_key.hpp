// An RSA public key used to verify OCI request signatures (the emulator and tests).
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace fdk::oci::detail {

class PublicKey {
 public:
  /// Parses a `-----BEGIN PUBLIC KEY-----` PEM. Throws CredentialsError naming `origin` on failure.
  [[nodiscard]] static PublicKey from_pem(std::string_view pem, std::string_view origin);

  /// Parses a DER SubjectPublicKeyInfo (as the federation body carries it).
  [[nodiscard]] static PublicKey from_der(std::string_view der, std::string_view origin);

  /// True when `signature` (raw bytes) is a valid RSASSA-PKCS1-v1_5 SHA-256 signature of `data`.
  [[nodiscard]] bool verify_sha256(std::string_view data, std::string_view signature) const;

  PublicKey(PublicKey&&) noexcept;
  PublicKey& operator=(PublicKey&&) noexcept;
  ~PublicKey();

 private:
  struct Impl;
  explicit PublicKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fdk::oci::detail
