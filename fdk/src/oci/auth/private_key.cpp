#include "oci/auth/private_key.hpp"

#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstring>
#include <limits>

#include "fdk/oci/errors.hpp"
#include "oci/auth/openssl_handles.hpp"

namespace fdk::oci::detail {

struct PrivateKey::Impl {
  PkeyHandle key;
};

namespace {

// What the passphrase callback saw, so a failed parse can say why it failed.
struct PassphraseRequest {
  std::optional<std::string_view> passphrase;
  bool asked = false;
};

// OpenSSL calls this only for encrypted keys. Without a passphrase we refuse instead of
// letting OpenSSL fall back to prompting on the terminal.
int supply_passphrase(char* buffer, int size, int /*rwflag*/, void* user_data) {
  auto* request = static_cast<PassphraseRequest*>(user_data);
  request->asked = true;
  if (!request->passphrase || request->passphrase->size() > static_cast<std::size_t>(size)) return -1;
  std::memcpy(buffer, request->passphrase->data(), request->passphrase->size());
  return static_cast<int>(request->passphrase->size());
}

std::string quoted(std::string_view origin) { return "'" + std::string(origin) + "'"; }

[[noreturn]] void throw_parse_error(const PassphraseRequest& request, std::string_view origin,
                                    std::string_view passphrase_origin) {
  discard_openssl_errors();
  if (request.asked && !request.passphrase) {
    throw CredentialsError("The private key from " + quoted(origin) + " is encrypted but no passphrase was given; set " +
                           std::string(passphrase_origin) + ".");
  }
  if (request.asked) {
    throw CredentialsError("The private key from " + quoted(origin) +
                           " could not be decrypted: the passphrase is wrong.");
  }
  throw CredentialsError("The value from " + quoted(origin) +
                         " is not a PEM private key (expected PKCS#1 'RSA PRIVATE KEY', PKCS#8 "
                         "'PRIVATE KEY' or 'ENCRYPTED PRIVATE KEY').");
}

std::string drain(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(length));
}

}  // namespace

PrivateKey::PrivateKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;
PrivateKey::~PrivateKey() = default;

PrivateKey PrivateKey::from_pem(std::string_view pem, std::optional<std::string_view> passphrase,
                                std::string_view origin, std::string_view passphrase_origin) {
  if (pem.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw CredentialsError("The private key from " + quoted(origin) + " is too large to be a key.");
  }
  PassphraseRequest request{passphrase, false};
  auto bio = memory_bio(pem);
  PkeyHandle key(PEM_read_bio_PrivateKey(bio.get(), nullptr, supply_passphrase, &request));
  if (!key) throw_parse_error(request, origin, passphrase_origin);
  if (EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA) {
    throw CredentialsError("The private key from " + quoted(origin) +
                           " is not an RSA key; OCI request signing needs RSA.");
  }
  return PrivateKey(std::make_unique<Impl>(Impl{std::move(key)}));
}

PrivateKey PrivateKey::generate_rsa(int bits) {
  PkeyContextHandle context(EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!context || EVP_PKEY_keygen_init(context.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(context.get(), bits) != 1 || EVP_PKEY_keygen(context.get(), &raw) != 1) {
    discard_openssl_errors();
    throw CredentialsError("OpenSSL could not generate an RSA session key.");
  }
  return PrivateKey(std::make_unique<Impl>(Impl{PkeyHandle(raw)}));
}

std::string PrivateKey::sign_sha256(std::string_view data) const {
  DigestContextHandle context(EVP_MD_CTX_new());
  std::size_t length = 0;
  if (!context || EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, impl_->key.get()) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &length, nullptr, 0) != 1) {
    discard_openssl_errors();
    throw CredentialsError("OpenSSL could not start an RSA-SHA256 signature.");
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    discard_openssl_errors();
    throw CredentialsError("OpenSSL could not compute an RSA-SHA256 signature.");
  }
  signature.resize(length);
  return signature;
}

std::string PrivateKey::public_key_der() const {
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(impl_->key.get(), &der);
  if (length <= 0) {
    discard_openssl_errors();
    throw CredentialsError("OpenSSL could not encode a public key.");
  }
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return out;
}

std::string PrivateKey::public_key_pem() const {
  BioHandle bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), impl_->key.get()) != 1) {
    discard_openssl_errors();
    throw CredentialsError("OpenSSL could not encode a public key.");
  }
  return drain(bio.get());
}

std::string PrivateKey::private_key_pem() const {
  BioHandle bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PKCS8PrivateKey(bio.get(), impl_->key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    discard_openssl_errors();
    throw CredentialsError("OpenSSL could not encode a private key.");
  }
  return drain(bio.get());
}

}  // namespace fdk::oci::detail
