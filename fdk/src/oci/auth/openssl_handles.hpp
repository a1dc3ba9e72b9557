// unique_ptr aliases that free OpenSSL objects; only included by .cpp files.
#pragma once

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string_view>

namespace fdk::oci::detail {

template <auto Free>
struct OpenSslDeleter {
  template <typename T>
  void operator()(T* object) const noexcept { Free(object); }
};

using BioHandle = std::unique_ptr<BIO, OpenSslDeleter<BIO_free_all>>;
using PkeyHandle = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY_free>>;
using PkeyContextHandle = std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<EVP_PKEY_CTX_free>>;
using DigestContextHandle = std::unique_ptr<EVP_MD_CTX, OpenSslDeleter<EVP_MD_CTX_free>>;
using X509Handle = std::unique_ptr<X509, OpenSslDeleter<X509_free>>;

/// A read-only memory BIO over `bytes` (which must outlive it).
inline BioHandle memory_bio(std::string_view bytes) {
  return BioHandle(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

/// Drops queued OpenSSL errors so a failure here is not reported by a later, unrelated call.
inline void discard_openssl_errors() noexcept { ERR_clear_error(); }

}  // namespace fdk::oci::detail
