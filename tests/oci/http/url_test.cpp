// Splitting absolute URLs into what a connection needs.
#include <doctest/doctest.h>

#include <stdexcept>

#include "oci/http/url.hpp"

using fdk::oci::http::parse_url;

TEST_SUITE("oci") {
  TEST_CASE("https URL with default port, path and query") {
    const auto url = parse_url("HTTPS://iaas.us-ashburn-1.oraclecloud.com/20160918/instances/x?action=START");
    CHECK(url.scheme == "https");
    CHECK(url.host == "iaas.us-ashburn-1.oraclecloud.com");
    CHECK(url.port == 443);
    CHECK(url.target == "/20160918/instances/x?action=START");
    CHECK(url.authority() == "iaas.us-ashburn-1.oraclecloud.com");
  }

  TEST_CASE("explicit ports appear in the authority unless they are the default") {
    CHECK(parse_url("https://127.0.0.1:8443").authority() == "127.0.0.1:8443");
    CHECK(parse_url("https://127.0.0.1:8443").target == "/");
    CHECK(parse_url("http://169.254.169.254:80/opc/v2/").authority() == "169.254.169.254");
    CHECK(parse_url("http://h?q=1").target == "/?q=1");
  }

  TEST_CASE("IPv6 literals keep brackets only in the authority") {
    const auto url = parse_url("https://[::1]:9443/x#fragment");
    CHECK(url.host == "::1");
    CHECK(url.port == 9443);
    CHECK(url.target == "/x");
    CHECK(url.authority() == "[::1]:9443");
    CHECK(fdk::oci::http::is_ip_literal("::1"));
    CHECK(fdk::oci::http::is_ip_literal("127.0.0.1"));
    CHECK_FALSE(fdk::oci::http::is_ip_literal("localhost"));
  }

  TEST_CASE("malformed URLs are rejected with the reason") {
    CHECK_THROWS_WITH_AS(parse_url("iaas.example.com/x"), doctest::Contains("no scheme"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_url("ftp://h/"), doctest::Contains("neither http nor https"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_url("https://:443/"), doctest::Contains("no host"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_url("https://h:70000/"), doctest::Contains("port"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_url("https://h:x/"), doctest::Contains("port"), std::invalid_argument);
    CHECK_THROWS_WITH_AS(parse_url("https://u:p@h/"), doctest::Contains("user information"), std::invalid_argument);
  }
}
