#include "oci/auth/public_key.hpp"

#include <openssl/pem.h>

#include "fdk/oci/errors.hpp"
#include "oci/auth/openssl_handles.hpp"

namespace fdk::oci::detail {

struct PublicKey::Impl {
  PkeyHandle key;
};

PublicKey::PublicKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PublicKey::PublicKey(PublicKey&&) noexcept = default;
PublicKey& PublicKey::operator=(PublicKey&&) noexcept = default;
PublicKey::~PublicKey() = default;

PublicKey PublicKey::from_pem(std::string_view pem, std::string_view origin) {
  auto bio = memory_bio(pem);
  PkeyHandle key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    discard_openssl_errors();
    throw CredentialsError("The value from '" + std::string(origin) + "' is not a PEM public key.");
  }
  return PublicKey(std::make_unique<Impl>(Impl{std::move(key)}));
}

PublicKey PublicKey::from_der(std::string_view der, std::string_view origin) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(der.data());
  PkeyHandle key(d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der.size())));
  if (!key) {
    discard_openssl_errors();
    throw CredentialsError("The value from '" + std::string(origin) + "' is not a DER public key.");
  }
  return PublicKey(std::make_unique<Impl>(Impl{std::move(key)}));
}

bool PublicKey::verify_sha256(std::string_view data, std::string_view signature) const {
  DigestContextHandle context(EVP_MD_CTX_new());
  const bool valid =
      context && EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, impl_->key.get()) == 1 &&
      EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                       reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  discard_openssl_errors();
  return valid;
}

}  // namespace fdk::oci::detail
