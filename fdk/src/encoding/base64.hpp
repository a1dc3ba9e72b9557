// Base64 (RFC 4648 §4) and base64url (§5): OCI signatures, digests, DER blobs and JWTs, and the
// binary bodies of AWS Lambda HTTP events. No I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fdk::encoding {

/// Standard alphabet with `=` padding.
[[nodiscard]] std::string base64_encode(std::string_view bytes);

/// Decodes the standard alphabet; padding optional. Nothing on any invalid character.
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

/// Decodes the URL-safe alphabet (`-`, `_`) used by JWTs; padding optional.
[[nodiscard]] std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace fdk::encoding
