// Proxy selection from https_proxy / http_proxy / no_proxy, and the CONNECT request.
#include <doctest/doctest.h>

#include <map>
#include <stdexcept>

#include "fdk/oci/call_errors.hpp"
#include "oci/http/proxy.hpp"

using fdk::oci::http::connect_request;
using fdk::oci::http::no_proxy_matches;
using fdk::oci::http::parse_url;
using fdk::oci::http::proxy_for;

namespace {

fdk::oci::http::EnvLookup env_of(std::map<std::string, std::string> values) {
  return [values](const char* name) -> std::optional<std::string> {
    auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

}  // namespace

TEST_SUITE("oci") {
  TEST_CASE("https URLs use https_proxy, then HTTPS_PROXY; a bare host:port means http://") {
    const auto target = parse_url("https://iaas.us-ashburn-1.oraclecloud.com/");
    auto proxy = proxy_for(target, env_of({{"HTTPS_PROXY", "proxy.corp:3128"}}));
    REQUIRE(proxy);
    CHECK(proxy->url.scheme == "http");
    CHECK(proxy->url.host == "proxy.corp");
    CHECK(proxy->url.port == 3128);
    CHECK(proxy->authorization.empty());
    proxy = proxy_for(target, env_of({{"https_proxy", "http://lower:1"}, {"HTTPS_PROXY", "http://upper:2"}}));
    REQUIRE(proxy);
    CHECK(proxy->url.host == "lower");
    CHECK_FALSE(proxy_for(target, env_of({{"http_proxy", "http://p:1"}})));
  }

  TEST_CASE("http URLs use http_proxy but never upper-case HTTP_PROXY") {
    const auto target = parse_url("http://169.254.169.254/opc/v2/");
    CHECK_FALSE(proxy_for(target, env_of({{"HTTP_PROXY", "http://p:1"}})));
    auto proxy = proxy_for(target, env_of({{"http_proxy", "http://p:1"}}));
    REQUIRE(proxy);
    CHECK(proxy->url.port == 1);
  }

  TEST_CASE("no_proxy exempts exact hosts, domain suffixes and everything with *") {
    CHECK(no_proxy_matches("localhost,169.254.169.254", "169.254.169.254"));
    CHECK(no_proxy_matches(" .oraclecloud.com ", "iaas.us-ashburn-1.oraclecloud.com"));
    CHECK(no_proxy_matches("oraclecloud.com", "iaas.us-ashburn-1.oraclecloud.com"));
    CHECK(no_proxy_matches("oraclecloud.com", "ORACLECLOUD.COM"));
    CHECK_FALSE(no_proxy_matches("oraclecloud.com", "notoraclecloud.com"));
    CHECK(no_proxy_matches("127.0.0.1:8443", "127.0.0.1"));
    CHECK(no_proxy_matches("*", "anything"));
    CHECK_FALSE(no_proxy_matches("", "anything"));
    const auto target = parse_url("https://127.0.0.1:8443/");
    CHECK_FALSE(proxy_for(target, env_of({{"https_proxy", "http://p:1"}, {"NO_PROXY", "127.0.0.1"}})));
  }

  TEST_CASE("https:// proxies are refused with a clear message, as a NetworkError") {
    const auto target = parse_url("https://h/");
    CHECK_THROWS_WITH_AS(proxy_for(target, env_of({{"https_proxy", "https://p:1"}})),
                         doctest::Contains("only http:// proxies"), fdk::oci::NetworkError);
  }

  TEST_CASE("a proxy URL with user:password gives Basic credentials and its URL loses them") {
    const auto target = parse_url("https://iaas.us-ashburn-1.oraclecloud.com/");
    auto proxy = proxy_for(target, env_of({{"https_proxy", "http://alice:s3cr%40t@proxy.corp:3128"}}));
    REQUIRE(proxy);
    CHECK(proxy->url.host == "proxy.corp");
    CHECK(proxy->url.port == 3128);
    CHECK(proxy->authorization == "Basic YWxpY2U6czNjckB0");  // alice:s3cr@t
    proxy = proxy_for(target, env_of({{"https_proxy", "bob@proxy.corp:1"}}));
    REQUIRE(proxy);
    CHECK(proxy->authorization == "Basic Ym9iOg==");  // bob:
  }

  TEST_CASE("no message ever quotes a URL's user information") {
    const auto target = parse_url("https://h/");
    for (const char* bad : {"https://alice:hunter2@p:1", "http://alice:hunter2@p:99999", "http://alice:hunter2@"}) {
      try {
        (void)proxy_for(target, env_of({{"https_proxy", bad}}));
        FAIL("expected a NetworkError for " << bad);
      } catch (const fdk::oci::NetworkError& error) {
        CHECK_MESSAGE(std::string(error.what()).find("hunter2") == std::string::npos, error.what());
        CHECK(std::string(error.what()).find("https_proxy") != std::string::npos);
        CHECK_FALSE(error.retryable());
      }
    }
    try {
      (void)parse_url("https://alice:hunter2@host:0/path");
      FAIL("expected std::invalid_argument");
    } catch (const std::invalid_argument& error) {
      CHECK_MESSAGE(std::string(error.what()).find("hunter2") == std::string::npos, error.what());
      CHECK(std::string(error.what()).find("***@host") != std::string::npos);
    }
  }

  TEST_CASE("the CONNECT request names host:port, always with the port, and carries the proxy's credentials") {
    fdk::oci::http::Proxy proxy{parse_url("http://proxy.corp:3128"), ""};
    CHECK(connect_request(parse_url("https://iaas.us-ashburn-1.oraclecloud.com/20160918/instances"), proxy) ==
          "CONNECT iaas.us-ashburn-1.oraclecloud.com:443 HTTP/1.1\r\n"
          "Host: iaas.us-ashburn-1.oraclecloud.com:443\r\n\r\n");
    CHECK(connect_request(parse_url("https://127.0.0.1:8443/"), proxy) ==
          "CONNECT 127.0.0.1:8443 HTTP/1.1\r\nHost: 127.0.0.1:8443\r\n\r\n");
    // An IPv6 literal's colons once hid the missing port: `CONNECT [::1] HTTP/1.1` has none.
    CHECK(connect_request(parse_url("https://[::1]/"), proxy) == "CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\n\r\n");
    proxy.authorization = "Basic YWxpY2U6czNjcmV0";
    CHECK(connect_request(parse_url("https://h:1/"), proxy) ==
          "CONNECT h:1 HTTP/1.1\r\nHost: h:1\r\nProxy-Authorization: Basic YWxpY2U6czNjcmV0\r\n\r\n");
  }
}
