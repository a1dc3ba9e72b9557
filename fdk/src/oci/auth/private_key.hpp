// An RSA private key: parsed from PEM (PKCS#1, PKCS#8, encrypted) or generated, used to sign.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace fdk::oci::detail {

class PrivateKey {
 public:
  /// Parses a PEM private key. `origin` names where it came from (an environment variable or
  /// a file path) and appears in errors; the key text and passphrase never do.
  /// `passphrase_origin` names where a passphrase would be set (for the "encrypted" error).
  /// Throws CredentialsError when the text is not an RSA key, is encrypted and no passphrase
  /// was given, or the passphrase is wrong.
  [[nodiscard]] static PrivateKey from_pem(std::string_view pem, std::optional<std::string_view> passphrase,
                                           std::string_view origin, std::string_view passphrase_origin = "its passphrase");

  /// A fresh RSA key pair (instance principal session keys use 2048 bits).
  [[nodiscard]] static PrivateKey generate_rsa(int bits);

  /// RSASSA-PKCS1-v1_5 over SHA-256 of `data`; the raw signature bytes.
  [[nodiscard]] std::string sign_sha256(std::string_view data) const;

  /// The public half as DER SubjectPublicKeyInfo (what OCI federation expects, base64'd).
  [[nodiscard]] std::string public_key_der() const;

  /// The public half as a `-----BEGIN PUBLIC KEY-----` PEM.
  [[nodiscard]] std::string public_key_pem() const;

  /// The private key as unencrypted PKCS#8 PEM (tests and tools that write key files).
  [[nodiscard]] std::string private_key_pem() const;

  PrivateKey(PrivateKey&&) noexcept;
  PrivateKey& operator=(PrivateKey&&) noexcept;
  ~PrivateKey();

 private:
  struct Impl;
  explicit PrivateKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fdk::oci::detail
