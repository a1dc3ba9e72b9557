#include "test_support.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>

#include "fdk/oci/errors.hpp"
#include "nlohmann/json.hpp"
#include "encoding/base64.hpp"

namespace oci_test {
namespace {

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free_all)>;

PkeyPtr generate_rsa_2048() {
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr),
                                                                  EVP_PKEY_CTX_free);
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), 2048) != 1 ||
      EVP_PKEY_keygen(ctx.get(), &key) != 1) {
    throw std::runtime_error("test key generation failed");
  }
  return PkeyPtr(key, EVP_PKEY_free);
}

template <typename Writer>
std::string pem_of(Writer write) {
  BioPtr bio(BIO_new(BIO_s_mem()), BIO_free_all);
  if (write(bio.get()) != 1) throw std::runtime_error("test key encoding failed");
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(length));
}

TestKeyPems encode(EVP_PKEY* key) {
  auto* passphrase = reinterpret_cast<unsigned char*>(const_cast<char*>(kPassphrase));
  const int passphrase_length = static_cast<int>(std::char_traits<char>::length(kPassphrase));
  TestKeyPems pems;
  pems.pkcs1 = pem_of([&](BIO* bio) {
    return PEM_write_bio_PrivateKey_traditional(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  });
  pems.pkcs8 = pem_of([&](BIO* bio) {
    return PEM_write_bio_PKCS8PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  });
  pems.pkcs8_encrypted = pem_of([&](BIO* bio) {
    return PEM_write_bio_PKCS8PrivateKey(bio, key, EVP_aes_256_cbc(), nullptr, 0, nullptr,
                                         const_cast<char*>(kPassphrase));
  });
  pems.traditional_encrypted = pem_of([&](BIO* bio) {
    return PEM_write_bio_PrivateKey_traditional(bio, key, EVP_aes_128_cbc(), passphrase, passphrase_length, nullptr,
                                                nullptr);
  });
  pems.public_key = pem_of([&](BIO* bio) { return PEM_write_bio_PUBKEY(bio, key); });
  return pems;
}

std::string base64url(const std::string& bytes) {
  std::string text = fdk::encoding::base64_encode(bytes);
  for (auto& c : text) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  while (!text.empty() && text.back() == '=') text.pop_back();
  return text;
}

}  // namespace

const TestKeyPems& test_key() {
  static const TestKeyPems pems = encode(generate_rsa_2048().get());
  return pems;
}

const TestKeyPems& other_test_key() {
  static const TestKeyPems pems = encode(generate_rsa_2048().get());
  return pems;
}

std::string make_certificate(const std::string& key_pem, const std::string& common_name,
                             const std::vector<std::string>& organizational_units) {
  BioPtr key_bio(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())), BIO_free_all);
  PkeyPtr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
  std::unique_ptr<X509, decltype(&X509_free)> certificate(X509_new(), X509_free);
  if (!key || !certificate) throw std::runtime_error("test certificate setup failed");
  X509_set_version(certificate.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 3600);
  X509_NAME* name = X509_get_subject_name(certificate.get());
  auto add = [&](const char* field, const std::string& value) {
    X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(value.c_str()), -1,
                               -1, 0);
  };
  add("CN", common_name);
  for (const auto& unit : organizational_units) add("OU", unit);
  X509_set_issuer_name(certificate.get(), name);
  X509_set_pubkey(certificate.get(), key.get());
  if (X509_sign(certificate.get(), key.get(), EVP_sha256()) <= 0) throw std::runtime_error("test certificate signing failed");
  return pem_of([&](BIO* bio) { return PEM_write_bio_X509(bio, certificate.get()); });
}

ScratchDir::ScratchDir() {
  static std::atomic<int> counter{0};
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() /
          ("fdk-oci-test-" + std::to_string(random()) + "-" + std::to_string(counter++));
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string ScratchDir::write(const std::string& name, const std::string& content) const {
  const auto file = path_ / name;
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << content;
  if (!out) throw std::runtime_error("could not write " + file.string());
  return file.string();
}

std::string make_token(std::chrono::system_clock::time_point expires_at,
                       const std::map<std::string, std::string>& claims) {
  nlohmann::json payload = claims;
  payload["exp"] = std::chrono::duration_cast<std::chrono::seconds>(expires_at.time_since_epoch()).count();
  const std::string header = R"({"alg":"RS256","typ":"JWT"})";
  return base64url(header) + "." + base64url(payload.dump()) + "." + base64url("not-a-real-signature");
}

std::string credentials_error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const fdk::oci::CredentialsError& error) {
    return error.what();
  }
  return "<no CredentialsError was thrown>";
}

std::chrono::system_clock::time_point fixed_now() {
  return std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
}

fdk::Config env(std::map<std::string, std::string, std::less<>> values) { return fdk::Config(std::move(values)); }

}  // namespace oci_test
