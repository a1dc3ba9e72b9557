// libFuzzer target: the credential text parsers — OCI config file, PEM private keys (with and
// without a passphrase), base64 and Authorization headers — on arbitrary input.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fdk/oci/errors.hpp"
#include "encoding/base64.hpp"
#include "oci/auth/oci_config_file.hpp"
#include "oci/auth/private_key.hpp"
#include "oci/auth/signing_string.hpp"

namespace {

void parse_key(const std::string& text, std::optional<std::string_view> passphrase) {
  try {
    (void)fdk::oci::detail::PrivateKey::from_pem(text, passphrase, "fuzz");
  } catch (const fdk::oci::CredentialsError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto config = fdk::oci::detail::parse_oci_config(text);
  for (const auto& [name, profile] : config.profiles) (void)fdk::oci::detail::resolve_profile(config, name);
  parse_key(text, std::nullopt);
  parse_key(text, std::string_view("fuzz-passphrase"));
  (void)fdk::encoding::base64_decode(text);
  (void)fdk::encoding::base64url_decode(text);
  (void)fdk::oci::detail::parse_authorization(text);
  return 0;
}
