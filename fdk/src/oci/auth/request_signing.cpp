#include "oci/auth/request_signing.hpp"

#include <algorithm>

#include "encoding/base64.hpp"
#include "oci/auth/digest.hpp"
#include "oci/auth/http_date.hpp"
#include "oci/auth/signing_string.hpp"

namespace fdk::oci::detail {
using encoding::base64_decode;
using encoding::base64_encode;
namespace {

constexpr std::string_view kAlgorithm = "rsa-sha256";
constexpr std::string_view kDefaultContentType = "application/json";

void set_body_headers(SignableRequest& request) {
  request.headers.set("content-length", std::to_string(request.body.size()));
  request.headers.set("x-content-sha256", base64_encode(sha256(request.body)));
  if (!request.headers.contains("content-type")) request.headers.set("content-type", std::string(kDefaultContentType));
}

// x-date wins over date when present (browsers cannot set date); either way it gets a fresh value.
std::string_view stamp_date(SignableRequest& request, std::string http_date) {
  const std::string_view date_header = request.headers.contains("x-date") ? "x-date" : "date";
  request.headers.set(std::string(date_header), std::move(http_date));
  return date_header;
}

bool covers(const std::vector<std::string>& signed_names, const std::vector<std::string>& required) {
  return std::all_of(required.begin(), required.end(), [&](const std::string& name) {
    return std::find(signed_names.begin(), signed_names.end(), name) != signed_names.end();
  });
}

bool body_headers_match(const SignableRequest& request) {
  return request.headers.get("x-content-sha256") == base64_encode(sha256(request.body)) &&
         request.headers.get("content-length") == std::to_string(request.body.size());
}

}  // namespace

void sign_request(SignableRequest& request, std::string_view key_id, const PrivateKey& key,
                  std::chrono::system_clock::time_point when) {
  sign_request_dated(request, key_id, key, format_http_date(when));
}

void sign_request_dated(SignableRequest& request, std::string_view key_id, const PrivateKey& key,
                        std::string http_date) {
  request.headers.remove("authorization");
  const std::string_view date_header = stamp_date(request, std::move(http_date));
  if (method_signs_body(request.method)) set_body_headers(request);
  SignatureParameters parameters;
  parameters.version = "1";
  parameters.key_id = std::string(key_id);
  parameters.algorithm = std::string(kAlgorithm);
  parameters.headers = headers_to_sign(request.method, date_header);
  // Every name comes from headers_to_sign and was just set, so the string always builds.
  const std::string signing_string = *build_signing_string(request, parameters.headers);
  parameters.signature = base64_encode(key.sign_sha256(signing_string));
  request.headers.set("authorization", format_authorization(parameters));
}

VerifyResult verify_request(const SignableRequest& request, const PublicKey& key, std::string* key_id) {
  const auto header = request.headers.get("authorization");
  const auto parameters = header ? parse_authorization(*header) : std::nullopt;
  if (!parameters) return VerifyResult::missing_authorization;
  if (key_id) *key_id = parameters->key_id;
  if (parameters->algorithm != kAlgorithm || parameters->version != "1") return VerifyResult::unsupported_algorithm;
  const std::string_view date_header = request.headers.contains("x-date") ? "x-date" : "date";
  if (!covers(parameters->headers, headers_to_sign(request.method, date_header))) {
    return VerifyResult::missing_required_header;
  }
  const auto signing_string = build_signing_string(request, parameters->headers);
  if (!signing_string) return VerifyResult::header_absent;
  if (method_signs_body(request.method) && !body_headers_match(request)) return VerifyResult::body_hash_mismatch;
  const auto signature = base64_decode(parameters->signature);
  if (!signature || !key.verify_sha256(*signing_string, *signature)) return VerifyResult::bad_signature;
  return VerifyResult::ok;
}

}  // namespace fdk::oci::detail
