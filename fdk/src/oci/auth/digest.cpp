#include "oci/auth/digest.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace fdk::oci::detail {

std::string sha256(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("OpenSSL could not compute a SHA-256 digest");
  }
  return std::string(reinterpret_cast<const char*>(digest), length);
}

std::string colon_hex(std::string_view bytes) {
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 3);
  for (unsigned char byte : bytes) {
    if (!out.empty()) out.push_back(':');
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0x0F]);
  }
  return out;
}

}  // namespace fdk::oci::detail
