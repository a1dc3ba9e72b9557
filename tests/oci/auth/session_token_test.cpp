// Session token (JWT) claims parsing.
#include <doctest/doctest.h>

#include "fdk/oci/errors.hpp"
#include "oci/auth/session_token.hpp"
#include "test_support.hpp"

using fdk::oci::detail::parse_session_token;

TEST_CASE("claims are read from the payload") {
  const auto expiry = oci_test::fixed_now() + std::chrono::hours(1);
  const auto claims = parse_session_token(
      oci_test::make_token(expiry, {{"res_tenant", "ocid1.tenancy.oc1..t"}, {"res_compartment", "c"}, {"res_type", "fnfunc"}}),
      "test");
  CHECK(claims.tenant_id == "ocid1.tenancy.oc1..t");
  CHECK(claims.compartment_id == "c");
  CHECK(claims.expires_at == expiry);
}

TEST_CASE("absent string claims are empty, but exp is required") {
  const auto claims = parse_session_token(oci_test::make_token(oci_test::fixed_now(), {}), "test");
  CHECK(claims.tenant_id.empty());
  // header {"alg":"none"} . payload {"res_tenant":"t"} . sig
  CHECK_THROWS_AS((void)parse_session_token("eyJhbGciOiJub25lIn0.eyJyZXNfdGVuYW50IjoidCJ9.c2ln", "test"),
                  fdk::oci::CredentialsError);
}

TEST_CASE("malformed tokens are rejected with the origin named") {
  for (const char* token : {"", "abc", "a.b", "a.b.c.d", "a.!!!.c", "a.bm90IGpzb24.c", "a.WzFd.c",
                            "a.eyJleHAiOiJzb29uIn0.c", "a.eyJleHAiOi0xfQ.c"}) {
    CAPTURE(token);
    try {
      (void)parse_session_token(token, "ORIGIN_VARIABLE");
      FAIL("expected CredentialsError");
    } catch (const fdk::oci::CredentialsError& error) {
      CHECK(std::string(error.what()).find("ORIGIN_VARIABLE") != std::string::npos);
    }
  }
}

// Issue 11 item 12: an exp past 2262 overflowed the nanosecond clock (undefined behaviour).
TEST_CASE("an exp the clock cannot hold is an out-of-range claim, not an overflow") {
  // payloads {"exp":9300000000} (year 2264) and {"exp":99999999999} (year 5138)
  for (const char* token : {"a.eyJleHAiOjkzMDAwMDAwMDB9.c", "a.eyJleHAiOjk5OTk5OTk5OTk5fQ.c"}) {
    CAPTURE(token);
    try {
      (void)parse_session_token(token, "test");
      FAIL("expected CredentialsError");
    } catch (const fdk::oci::CredentialsError& error) {
      CHECK(std::string(error.what()).find("out-of-range 'exp'") != std::string::npos);
    }
  }
}

