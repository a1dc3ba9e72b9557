#include "oci/auth/session_token.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

#include "fdk/oci/errors.hpp"
#include "http/date.hpp"
#include "encoding/base64.hpp"

namespace fdk::oci::detail {
using encoding::base64url_decode;
namespace {

[[noreturn]] void reject(std::string_view origin, std::string_view why) {
  throw CredentialsError("The session token from '" + std::string(origin) + "' " + std::string(why) + ".");
}

std::string_view payload_segment(std::string_view token, std::string_view origin) {
  const std::size_t first_dot = token.find('.');
  const std::size_t second_dot = first_dot == std::string_view::npos ? first_dot : token.find('.', first_dot + 1);
  if (second_dot == std::string_view::npos || token.find('.', second_dot + 1) != std::string_view::npos) {
    reject(origin, "is not a JWT (expected three dot-separated parts)");
  }
  return token.substr(first_dot + 1, second_dot - first_dot - 1);
}

std::string string_claim(const nlohmann::json& payload, const char* name) {
  const auto it = payload.find(name);
  return it != payload.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::chrono::system_clock::time_point expiry_claim(const nlohmann::json& payload, std::string_view origin) {
  const auto it = payload.find("exp");
  if (it == payload.end() || !it->is_number()) reject(origin, "has no numeric 'exp' claim");
  const double seconds = it->get<double>();
  // The clock holds about 1678-2261 (nanoseconds in 64 bits); the date module refuses the rest.
  constexpr double kLimit = 1e12;
  const auto expiry = std::isfinite(seconds) && seconds >= 0 && seconds < kLimit
                          ? fdk::http::time_from_unix(static_cast<std::int64_t>(seconds))
                          : std::nullopt;
  if (!expiry) reject(origin, "has an out-of-range 'exp' claim");
  return *expiry;
}

}  // namespace

SessionTokenClaims parse_session_token(std::string_view token, std::string_view origin) {
  const auto payload_text = base64url_decode(payload_segment(token, origin));
  if (!payload_text) reject(origin, "has a payload that is not base64url");
  const auto payload = nlohmann::json::parse(*payload_text, nullptr, /*allow_exceptions=*/false);
  if (!payload.is_object()) reject(origin, "has a payload that is not a JSON object");
  SessionTokenClaims claims;
  claims.tenant_id = string_claim(payload, "res_tenant");
  claims.compartment_id = string_claim(payload, "res_compartment");
  claims.expires_at = expiry_claim(payload, origin);
  return claims;
}

}  // namespace fdk::oci::detail
