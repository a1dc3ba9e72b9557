// Reproduces the OCI documentation's signing examples byte for byte (the files in tests/oci/auth/vectors,
// copied from the published documentation examples).
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "fdk/oci/signer.hpp"
#include "oci/auth/signing_string.hpp"

namespace {

const std::string kVectors = OCI_VECTORS_DIR;

std::string read_vector(const std::string& name) {
  std::ifstream file(kVectors + "/" + name, std::ios::binary);
  REQUIRE_MESSAGE(file.good(), "missing test vector " << kVectors << "/" << name);
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

// Vector files end with a newline the expected values do not contain.
std::string read_vector_line(const std::string& name) {
  std::string text = read_vector(name);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::map<std::string, std::string> credentials() {
  std::map<std::string, std::string> values;
  std::istringstream lines(read_vector("credentials.txt"));
  for (std::string line; std::getline(lines, line);) {
    const auto equals = line.find('=');
    if (equals != std::string::npos) values[line.substr(0, equals)] = line.substr(equals + 1);
  }
  return values;
}

fdk::oci::RequestSigner doc_signer() {
  auto values = credentials();
  return fdk::oci::RequestSigner(
      values["tenancy_ocid"] + "/" + values["user_ocid"] + "/" + values["fingerprint_in_sdk_tests"],
      read_vector("doc_test_private_key.pem"), std::nullopt, kVectors + "/doc_test_private_key.pem");
}

// The documentation's date says Thursday for a Sunday, so it is passed verbatim.
std::string doc_date() { return credentials()["date"]; }

// "GET https://host/path?query" → {method, host, path?query}.
fdk::oci::SignableRequest request_from_first_line(const std::string& file) {
  std::istringstream lines(read_vector(file));
  std::string method, url;
  lines >> method >> url;
  const auto host_start = url.find("://") + 3;
  const auto path_start = url.find('/', host_start);
  return {method, url.substr(host_start, path_start - host_start), url.substr(path_start), {}, ""};
}

std::string signing_string_of(const fdk::oci::SignableRequest& request) {
  const auto names = fdk::oci::detail::headers_to_sign(request.method);
  return fdk::oci::detail::build_signing_string(request, names).value();
}

std::string signature_parameter(const std::string& authorization) {
  const auto parameters = fdk::oci::detail::parse_authorization(authorization);
  REQUIRE(parameters);
  return parameters->signature;
}

}  // namespace

TEST_CASE("the GET documentation vector is reproduced byte for byte") {
  auto request = request_from_first_line("get_request.txt");
  doc_signer().sign_with_date(request, doc_date());

  CHECK(request.headers.get("date") == credentials()["date"]);
  CHECK(signing_string_of(request) == read_vector_line("get_signing_string.txt"));
  const auto authorization = request.headers.get("authorization").value();
  CHECK(signature_parameter(authorization) == read_vector_line("expected_get_signature.txt"));
  CHECK(authorization == read_vector_line("expected_get_authorization.txt"));
}

TEST_CASE("the POST documentation vector is reproduced byte for byte") {
  auto request = request_from_first_line("post_request.txt");
  request.body = read_vector("post_body.json");
  REQUIRE(request.body.size() == 316);
  doc_signer().sign_with_date(request, doc_date());

  CHECK(request.headers.get("content-length") == "316");
  CHECK(request.headers.get("content-type") == "application/json");
  CHECK(request.headers.get("x-content-sha256") == "V9Z20UJTvkvpJ50flBzKE32+6m2zJjweHpDMX/U4Uy0=");
  CHECK(signing_string_of(request) == read_vector_line("post_signing_string.txt"));
  const auto authorization = request.headers.get("authorization").value();
  CHECK(signature_parameter(authorization) == read_vector_line("expected_post_signature.txt"));
  CHECK(authorization == read_vector_line("expected_post_authorization.txt"));
}
