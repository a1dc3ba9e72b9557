// Signature v1 rules beyond the documentation vectors: header sets, body rules, x-date, retries.
#include <doctest/doctest.h>

#include "fdk/oci/errors.hpp"
#include "fdk/oci/signer.hpp"
#include "oci/auth/http_date.hpp"
#include "oci/auth/public_key.hpp"
#include "oci/auth/request_signing.hpp"
#include "oci/auth/signing_string.hpp"
#include "test_support.hpp"

using fdk::oci::SignableRequest;
namespace detail = fdk::oci::detail;

namespace {

fdk::oci::RequestSigner signer() { return fdk::oci::RequestSigner("ST$token", oci_test::test_key().pkcs8); }

detail::SignatureParameters authorization_of(const SignableRequest& request) {
  auto parsed = detail::parse_authorization(request.headers.get("authorization").value());
  REQUIRE(parsed);
  return *parsed;
}

detail::VerifyResult verify(const SignableRequest& request) {
  return detail::verify_request(request, detail::PublicKey::from_pem(oci_test::test_key().public_key, "test"));
}

}  // namespace

TEST_CASE("read methods sign date, request target and host only") {
  for (const char* method : {"GET", "DELETE", "HEAD"}) {
    SignableRequest request{method, "example.com", "/a?b=c", {}, ""};
    signer().sign_at(request, oci_test::fixed_now());
    CHECK(authorization_of(request).headers == std::vector<std::string>{"date", "(request-target)", "host"});
    CHECK_FALSE(request.headers.contains("x-content-sha256"));
    CHECK(verify(request) == detail::VerifyResult::ok);
  }
}

TEST_CASE("body methods also sign content-length, content-type and x-content-sha256") {
  for (const char* method : {"POST", "PUT", "PATCH"}) {
    SignableRequest request{method, "example.com", "/things", {}, R"({"a":1})"};
    signer().sign_at(request, oci_test::fixed_now());
    CHECK(authorization_of(request).headers ==
          std::vector<std::string>{"date", "(request-target)", "host", "content-length", "content-type",
                                   "x-content-sha256"});
    CHECK(request.headers.get("content-length") == "7");
    CHECK(verify(request) == detail::VerifyResult::ok);
  }
}

TEST_CASE("an empty body still gets content-length 0 and the SHA-256 of nothing") {
  SignableRequest request{"POST", "example.com", "/instances/x?action=START", {}, ""};
  signer().sign_at(request, oci_test::fixed_now());
  CHECK(request.headers.get("content-length") == "0");
  CHECK(request.headers.get("x-content-sha256") == "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  CHECK(request.headers.get("content-type") == "application/json");
}

TEST_CASE("a caller's content-type is kept and signed") {
  SignableRequest request{"PUT", "example.com", "/o", {{"Content-Type", "text/plain"}}, "hi"};
  signer().sign_at(request, oci_test::fixed_now());
  CHECK(request.headers.get("content-type") == "text/plain");
  CHECK(detail::build_signing_string(request, authorization_of(request).headers)->find("content-type: text/plain") !=
        std::string::npos);
}

TEST_CASE("x-date is signed instead of date and refreshed on every signature") {
  SignableRequest request{"GET", "example.com", "/", {{"x-date", "stale"}}, ""};
  signer().sign_at(request, oci_test::fixed_now());
  CHECK(authorization_of(request).headers.front() == "x-date");
  CHECK(request.headers.get("x-date") == detail::format_http_date(oci_test::fixed_now()));
  CHECK_FALSE(request.headers.contains("date"));
  CHECK(verify(request) == detail::VerifyResult::ok);
}

TEST_CASE("signing again for a retry replaces date and authorization instead of adding more") {
  SignableRequest request{"POST", "example.com", "/", {}, "{}"};
  signer().sign_at(request, oci_test::fixed_now());
  const auto first = request.headers.get("authorization");
  signer().sign_at(request, oci_test::fixed_now() + std::chrono::seconds(7));
  CHECK(request.headers.get_all("authorization").size() == 1);
  CHECK(request.headers.get_all("date").size() == 1);
  CHECK(request.headers.get_all("content-length").size() == 1);
  CHECK(request.headers.get("authorization") != first);
  CHECK(verify(request) == detail::VerifyResult::ok);
}

TEST_CASE("the key id appears verbatim in the Authorization header") {
  SignableRequest request{"GET", "h", "/", {}, ""};
  signer().sign_at(request, oci_test::fixed_now());
  CHECK(authorization_of(request).key_id == "ST$token");
  CHECK(authorization_of(request).algorithm == "rsa-sha256");
  CHECK(authorization_of(request).version == "1");
}

TEST_CASE("verification rejects tampering") {
  SignableRequest request{"POST", "example.com", "/a", {}, "{}"};
  signer().sign_at(request, oci_test::fixed_now());

  SUBCASE("a changed body") {
    request.body = "{ }";
    CHECK(verify(request) == detail::VerifyResult::body_hash_mismatch);
  }
  SUBCASE("a changed path") {
    request.path_and_query = "/b";
    CHECK(verify(request) == detail::VerifyResult::bad_signature);
  }
  SUBCASE("a changed host") {
    request.host = "other.example.com";
    CHECK(verify(request) == detail::VerifyResult::bad_signature);
  }
  SUBCASE("a removed signed header") {
    request.headers.remove("date");
    CHECK(verify(request) == detail::VerifyResult::header_absent);
  }
  SUBCASE("a signature that leaves out a header the method must sign") {
    auto parameters = authorization_of(request);
    parameters.headers.erase(parameters.headers.begin() + 1);
    request.headers.set("authorization", detail::format_authorization(parameters));
    CHECK(verify(request) == detail::VerifyResult::missing_required_header);
  }
  SUBCASE("a different key") {
    auto other = detail::PublicKey::from_pem(oci_test::other_test_key().public_key, "other");
    CHECK(detail::verify_request(request, other) == detail::VerifyResult::bad_signature);
  }
  SUBCASE("no authorization") {
    request.headers.remove("authorization");
    CHECK(verify(request) == detail::VerifyResult::missing_authorization);
  }
}

TEST_CASE("HTTP dates format and parse as IMF-fixdate") {
  const auto when = detail::parse_http_date("Sun, 05 Jan 2014 21:31:40 GMT");
  REQUIRE(when);
  CHECK(std::chrono::system_clock::to_time_t(*when) == 1388957500);
  CHECK(detail::format_http_date(*when) == "Sun, 05 Jan 2014 21:31:40 GMT");
  CHECK(detail::format_http_date(*detail::parse_http_date("Sat, 29 Feb 2020 00:00:00 GMT")) ==
        "Sat, 29 Feb 2020 00:00:00 GMT");
  CHECK(detail::format_http_date(oci_test::fixed_now()) == "Tue, 14 Nov 2023 22:13:20 GMT");
  CHECK_FALSE(detail::parse_http_date("Thu, 05 Jan 2014 21:31:40 UTC"));
  CHECK_FALSE(detail::parse_http_date("Thu, 05 Foo 2014 21:31:40 GMT"));
}

TEST_CASE("a signer whose key is not PEM fails on first sign, naming the origin but not the value") {
  fdk::oci::RequestSigner bad("id", "secret-material-not-a-key", std::nullopt, "MY_KEY_VARIABLE");
  SignableRequest request{"GET", "h", "/", {}, ""};
  try {
    bad.sign(request);
    FAIL("expected CredentialsError");
  } catch (const fdk::oci::CredentialsError& error) {
    CHECK(std::string(error.what()).find("MY_KEY_VARIABLE") != std::string::npos);
    CHECK(std::string(error.what()).find("secret-material") == std::string::npos);
  }
}
