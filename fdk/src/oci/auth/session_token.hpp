// Reading the claims of a session token (a JWT: header.payload.signature, base64url).
#pragma once

#include <string_view>

#include "fdk/oci/session_token.hpp"

namespace fdk::oci::detail {

/// Decodes the payload of `token` and reads `res_tenant`, `res_compartment` and `exp`.
/// Throws CredentialsError naming `origin` (never quoting the token) when the token is not a
/// JWT, its payload is not a JSON object or `exp` is missing or not a number.
[[nodiscard]] SessionTokenClaims parse_session_token(std::string_view token, std::string_view origin);

}  // namespace fdk::oci::detail
