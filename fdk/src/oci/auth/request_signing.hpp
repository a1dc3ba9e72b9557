// Signs a SignableRequest in place with a key id and private key (OCI signature v1).
#pragma once

#include <chrono>
#include <string_view>

#include "fdk/oci/auth.hpp"
#include "oci/auth/private_key.hpp"
#include "oci/auth/public_key.hpp"

namespace fdk::oci::detail {

/// Sets `date` (or refreshes `x-date` when the request carries one) to `when`; for body methods
/// sets `content-length`, `x-content-sha256` and a default `content-type: application/json`;
/// then sets `authorization`. Safe to call again on the same request for a retry.
void sign_request(SignableRequest& request, std::string_view key_id, const PrivateKey& key,
                  std::chrono::system_clock::time_point when);

/// As above with the date header's value given verbatim (reproducing recorded signatures,
/// such as the documentation's, whose weekday does not match its date).
void sign_request_dated(SignableRequest& request, std::string_view key_id, const PrivateKey& key,
                        std::string http_date);

/// Why a signature was rejected; `ok` when it verified.
enum class VerifyResult {
  ok,
  missing_authorization,     ///< no Authorization header or not `Signature ...`
  unsupported_algorithm,     ///< algorithm other than rsa-sha256 or version other than 1
  missing_required_header,   ///< the signed header list lacks one the method must sign
  header_absent,             ///< a signed header is not on the request
  body_hash_mismatch,        ///< x-content-sha256 or content-length does not match the body
  bad_signature,             ///< the RSA signature does not verify
};

/// Verifies a signed request the way OCI does (for the emulator and tests); date skew is the
/// caller's concern (see parse_http_date). `key_id` receives the keyId when one was parsed.
[[nodiscard]] VerifyResult verify_request(const SignableRequest& request, const PublicKey& key,
                                          std::string* key_id = nullptr);

}  // namespace fdk::oci::detail
