#include "oci/auth/secret_text.hpp"

#include <openssl/crypto.h>

namespace fdk::oci::detail {

void wipe(std::string& secret) noexcept {
  if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
  secret.clear();
}

}  // namespace fdk::oci::detail
