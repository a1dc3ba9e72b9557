// libFuzzer target: session token (JWT) claims parsing must reject bad input with
// CredentialsError only, never crash, and never quote the token in the message.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "fdk/oci/errors.hpp"
#include "oci/auth/session_token.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string token(reinterpret_cast<const char*>(data), size);
  try {
    (void)fdk::oci::detail::parse_session_token(token, "fuzz");
  } catch (const fdk::oci::CredentialsError& error) {
    // A JWT-shaped input (two dots; messages hold at most one) appearing in a message would
    // mean the message leaks credentials.
    const bool jwt_shaped = std::count(token.begin(), token.end(), '.') >= 2 && token.size() >= 16;
    if (jwt_shaped && std::string(error.what()).find(token) != std::string::npos) std::abort();
  }
  return 0;
}
