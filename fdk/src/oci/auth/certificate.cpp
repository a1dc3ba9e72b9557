#include "oci/auth/certificate.hpp"

#include <openssl/pem.h>

#include "fdk/oci/errors.hpp"
#include "oci/auth/digest.hpp"
#include "oci/auth/openssl_handles.hpp"

namespace fdk::oci::detail {

struct Certificate::Impl {
  X509Handle certificate;
};

Certificate::Certificate(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Certificate::Certificate(Certificate&&) noexcept = default;
Certificate& Certificate::operator=(Certificate&&) noexcept = default;
Certificate::~Certificate() = default;

Certificate Certificate::from_pem(std::string_view pem, std::string_view origin) {
  auto bio = memory_bio(pem);
  X509Handle certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!certificate) {
    discard_openssl_errors();
    throw CredentialsError("The value from '" + std::string(origin) + "' is not a PEM certificate.");
  }
  return Certificate(std::make_unique<Impl>(Impl{std::move(certificate)}));
}

std::string Certificate::der() const {
  unsigned char* der = nullptr;
  const int length = i2d_X509(impl_->certificate.get(), &der);
  if (length <= 0) {
    discard_openssl_errors();
    throw CredentialsError("OpenSSL could not encode a certificate.");
  }
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

std::string Certificate::sha1_fingerprint() const {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(impl_->certificate.get(), EVP_sha1(), digest, &length) != 1) {
    discard_openssl_errors();
    throw CredentialsError("OpenSSL could not fingerprint a certificate.");
  }
  return colon_hex(std::string_view(reinterpret_cast<const char*>(digest), length));
}

std::vector<std::string> Certificate::subject_values() const {
  std::vector<std::string> values;
  const X509_NAME* subject = X509_get_subject_name(impl_->certificate.get());
  for (int i = 0; i < X509_NAME_entry_count(subject); ++i) {
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));
    unsigned char* utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, data);
    if (length < 0) continue;
    values.emplace_back(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
    OPENSSL_free(utf8);
  }
  discard_openssl_errors();
  return values;
}

std::string tenancy_from_subject(const std::vector<std::string>& subject_values) {
  for (const std::string_view prefix : {"opc-tenant:", "opc-identity:"}) {
    for (const auto& value : subject_values) {
      if (value.rfind(prefix, 0) == 0 && value.size() > prefix.size()) return value.substr(prefix.size());
    }
  }
  return {};
}

}  // namespace fdk::oci::detail
