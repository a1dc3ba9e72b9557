// The canonical parts of an OCI signature v1 (draft-cavage-http-signatures-08): which headers a
// method signs, the signing string, and the Authorization header. Shared by the signer and by
// anything that verifies signatures (the local OCI emulator), so both canonicalise identically.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fdk/oci/auth.hpp"

namespace fdk::oci::detail {

/// True for POST, PUT and PATCH (case-insensitive): those also sign the body headers.
[[nodiscard]] bool method_signs_body(std::string_view method);

/// The header names (lower case, in order) a request with `method` must sign. `date_header` is
/// `date` or `x-date`, whichever the request carries.
///   GET/DELETE/HEAD/...: date (request-target) host
///   POST/PUT/PATCH:      date (request-target) host content-length content-type x-content-sha256
[[nodiscard]] std::vector<std::string> headers_to_sign(std::string_view method, std::string_view date_header = "date");

/// `<lower-case method> <path?query>`.
[[nodiscard]] std::string request_target(std::string_view method, std::string_view path_and_query);

/// The signing string for `names`: one `name: value` line per name, joined by `\n`, no trailing
/// newline. `(request-target)` comes from method and path, `host` from `request.host` (or the
/// Host header when that is empty), everything else from the first header of that name.
/// Nothing when a named header is missing.
[[nodiscard]] std::optional<std::string> build_signing_string(const SignableRequest& request,
                                                              const std::vector<std::string>& names);

/// The parameters of `Authorization: Signature ...`.
struct SignatureParameters {
  std::string version;
  std::string key_id;
  std::string algorithm;
  std::vector<std::string> headers;  ///< from the space-separated `headers` parameter
  std::string signature;             ///< base64, as sent
};

/// `Signature version="1",keyId="...",algorithm="rsa-sha256",headers="...",signature="..."`.
[[nodiscard]] std::string format_authorization(const SignatureParameters& parameters);

/// Parses an Authorization header value of scheme `Signature`; parameters in any order.
/// Nothing when the scheme is different or a parameter is malformed. Missing parameters stay empty.
[[nodiscard]] std::optional<SignatureParameters> parse_authorization(std::string_view header_value);

}  // namespace fdk::oci::detail
