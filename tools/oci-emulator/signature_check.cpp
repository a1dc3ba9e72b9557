#include "signature_check.hpp"

#include <nlohmann/json.hpp>

#include "encoding/base64.hpp"
#include "oci/auth/http_date.hpp"
#include "oci/auth/request_signing.hpp"
#include "oci/auth/signing_string.hpp"

namespace oci_emulator {
namespace {

using fdk::oci::detail::VerifyResult;

const char* explain(VerifyResult result) {
  switch (result) {
    case VerifyResult::ok: return "valid";
    case VerifyResult::missing_authorization: return "no 'Authorization: Signature ...' header";
    case VerifyResult::unsupported_algorithm: return "the signature is not version 1 rsa-sha256";
    case VerifyResult::missing_required_header: return "the signature does not cover every header the method requires";
    case VerifyResult::header_absent: return "a signed header is missing from the request";
    case VerifyResult::body_hash_mismatch: return "x-content-sha256 or content-length does not match the body";
    case VerifyResult::bad_signature: return "the signature does not verify with any trusted key";
  }
  return "invalid signature";
}

fdk::oci::SignableRequest signable(const Request& request) {
  return fdk::oci::SignableRequest{request.method, request.headers.get_or("host", ""), request.target,
                                   request.headers, request.body};
}

// The `exp` claim of a JWT session token, when it has one.
std::optional<long long> token_expiry(const std::string& token) {
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  if (first == std::string::npos || second == std::string::npos) return std::nullopt;
  const auto payload = fdk::encoding::base64url_decode(token.substr(first + 1, second - first - 1));
  if (!payload) return std::nullopt;
  const auto claims = nlohmann::json::parse(*payload, nullptr, false);
  if (!claims.is_object() || !claims.contains("exp") || !claims["exp"].is_number()) return std::nullopt;
  return claims["exp"].get<long long>();
}

}  // namespace

void SignatureCheck::trust(const std::string& public_key_pem, const std::string& origin) {
  keys_.push_back(fdk::oci::detail::PublicKey::from_pem(public_key_pem, origin));
}

std::optional<std::string> SignatureCheck::date_reject_reason(const Request& request) const {
  const auto date_text = request.headers.get("x-date") ? request.headers.get("x-date") : request.headers.get("date");
  if (!date_text) return "the request has no date or x-date header";
  const auto date = fdk::oci::detail::parse_http_date(*date_text);
  if (!date) return "the date header is not an RFC 7231 date";
  const auto skew = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now() - *date);
  if (skew > max_skew_ || -skew > max_skew_) return "the request date is more than the allowed skew from the server clock";
  return std::nullopt;
}

std::optional<std::string> SignatureCheck::reject_reason(const Request& request) const {
  if (auto date_problem = date_reject_reason(request)) return date_problem;

  if (keys_.empty()) return "the emulator trusts no public key (configure trusted_public_keys)";
  VerifyResult result = VerifyResult::bad_signature;
  std::string key_id;
  for (const auto& key : keys_) {
    result = fdk::oci::detail::verify_request(signable(request), key, &key_id);
    if (result == VerifyResult::ok) break;
    if (result != VerifyResult::bad_signature) return std::string(explain(result));
  }
  if (result != VerifyResult::ok) return std::string(explain(result));

  if (key_id.rfind("ST$", 0) == 0) {
    const auto expiry = token_expiry(key_id.substr(3));
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    if (expiry && *expiry <= now.count()) return "the session token has expired";
  }
  return std::nullopt;
}

std::string SignatureCheck::key_kind(const Request& request) {
  const auto header = request.headers.get("authorization");
  const auto parameters = header ? fdk::oci::detail::parse_authorization(*header) : std::nullopt;
  if (!parameters) return "none";
  return parameters->key_id.rfind("ST$", 0) == 0 ? "session_token" : "api_key";
}

}  // namespace oci_emulator
