// Checks a request the way OCI does before anything else: a valid signature v1 by a trusted
// key, a date within the allowed skew, and (for ST$ session tokens) a token not expired.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "http_server.hpp"
#include "oci/auth/public_key.hpp"

namespace oci_emulator {

class SignatureCheck {
 public:
  /// `max_skew`: how far the request date may be from the emulator's clock (OCI: 5 minutes).
  explicit SignatureCheck(std::chrono::seconds max_skew = std::chrono::minutes(5)) : max_skew_(max_skew) {}

  /// Trusts a `-----BEGIN PUBLIC KEY-----` PEM; `origin` names it in error messages.
  void trust(const std::string& public_key_pem, const std::string& origin);
  /// Trusts a parsed key (session keys registered by federation).
  void trust(fdk::oci::detail::PublicKey key) { keys_.push_back(std::move(key)); }
  [[nodiscard]] std::size_t trusted_keys() const noexcept { return keys_.size(); }

  /// Nothing when the request is authentic; otherwise why not, as a sentence for the 401 body.
  [[nodiscard]] std::optional<std::string> reject_reason(const Request& request) const;
  /// The date part of reject_reason: a date or x-date header within the allowed skew.
  [[nodiscard]] std::optional<std::string> date_reject_reason(const Request& request) const;

  /// "ST$" for session tokens, "api_key" for tenancy/user/fingerprint ids (request logs).
  [[nodiscard]] static std::string key_kind(const Request& request);

 private:
  std::chrono::seconds max_skew_;
  std::vector<fdk::oci::detail::PublicKey> keys_;
};

}  // namespace oci_emulator
