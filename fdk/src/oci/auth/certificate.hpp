// An X.509 certificate as instance principal federation needs it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fdk::oci::detail {

class Certificate {
 public:
  /// Parses a PEM certificate; throws CredentialsError naming `origin` when it is not one.
  [[nodiscard]] static Certificate from_pem(std::string_view pem, std::string_view origin);

  /// DER encoding (what the federation body carries, base64'd).
  [[nodiscard]] std::string der() const;
  /// SHA-1 of the DER, lower-case colon hex (the `fed-x509` keyId suffix).
  [[nodiscard]] std::string sha1_fingerprint() const;
  /// Every subject attribute value (CN, OU, ...), in order.
  [[nodiscard]] std::vector<std::string> subject_values() const;

  Certificate(Certificate&&) noexcept;
  Certificate& operator=(Certificate&&) noexcept;
  ~Certificate();

 private:
  struct Impl;
  explicit Certificate(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// The tenancy OCID from an instance certificate subject value `opc-tenant:<ocid>` or
/// `opc-identity:<ocid>`; empty when there is none.
[[nodiscard]] std::string tenancy_from_subject(const std::vector<std::string>& subject_values);

}  // namespace fdk::oci::detail
