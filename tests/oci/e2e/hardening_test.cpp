// fdk-oci against hostile input: header injection, proxy credentials, unbounded bodies and
// replays of non-idempotent requests on stale keep-alive connections (issue 11).
#include <doctest/doctest.h>

#include <atomic>

#include "client_settings.hpp"
#include "connect_proxy.hpp"
#include "emulator_fixture.hpp"
#include "fdk/oci/client.hpp"
#include "fdk/oci/errors.hpp"
#include "fdk/oci/http_transport.hpp"
#include "fdk/oci/instance_principal.hpp"
#include "oci/http/http_client.hpp"

using namespace oci_e2e;
using namespace std::chrono_literals;
using fdk::oci::http::HttpClient;
using fdk::oci::http::HttpClientSettings;
using fdk::oci::http::HttpRequest;

namespace {

// A plain loopback server counting requests; `reply` decides each answer from its number (1, 2, ...).
class CountingServer {
 public:
  explicit CountingServer(std::function<oci_emulator::Reply(int, const oci_emulator::Request&)> reply)
      : server_(0, nullptr, [this, reply](const oci_emulator::Request& request) {
          {
            std::lock_guard<std::mutex> lock(mutex_);
            seen_.push_back(request);
          }
          return reply(++count_, request);
        }) {}
  [[nodiscard]] std::string url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(server_.port()) + path;
  }
  [[nodiscard]] int count() const { return count_; }
  [[nodiscard]] std::vector<oci_emulator::Request> seen() {
    std::lock_guard<std::mutex> lock(mutex_);
    return seen_;
  }

 private:
  std::atomic<int> count_{0};
  std::mutex mutex_;
  std::vector<oci_emulator::Request> seen_;
  oci_emulator::HttpServer server_;
};

oci_emulator::Reply ok(std::string body = "ok") { return oci_emulator::Reply{200, {}, std::move(body), false}; }

}  // namespace

TEST_SUITE("oci") {
  TEST_CASE("CR or LF in a header value is refused before anything is sent") {
    CountingServer server([](int, const oci_emulator::Request&) { return ok(); });
    HttpClient client(trusting_test_ca());
    for (const std::string& value :
         {std::string("a\r\nX-Injected: 1"), std::string("a\nX-Injected: 1"), std::string("a\rb"), std::string("a\0b", 3)}) {
      CAPTURE(value);
      fdk::Headers headers;
      headers.set("opc-retry-token", value);
      CHECK_THROWS_WITH_AS(client.send(HttpRequest{"POST", server.url(), headers, ""}, soon()),
                           doctest::Contains("header 'opc-retry-token' contains a control character"),
                           std::invalid_argument);
    }
    fdk::Headers bad_name;
    bad_name.set("X-A\r\nX-Injected", "1");
    CHECK_THROWS_AS(client.send(HttpRequest{"GET", server.url(), bad_name, ""}, soon()), std::invalid_argument);
    CHECK_THROWS_AS(client.send(HttpRequest{"GET", server.url("/a\r\nX-Injected: 1"), {}, ""}, soon()),
                    std::invalid_argument);
    CHECK_THROWS_AS(client.send(HttpRequest{"GET /x HTTP/1.1\r\n", server.url(), {}, ""}, soon()), std::invalid_argument);
    CHECK(server.count() == 0);
    fdk::Headers fine;
    fine.set("X-Tabbed", "a\tb c");
    CHECK(client.send(HttpRequest{"GET", server.url(), fine, ""}, soon()).status == 200);
    CHECK(server.count() == 1);
  }

  TEST_CASE("the Client refuses control characters in the retry token, extra headers and user agent") {
    EmulatorFixture emulator;
    auto client = emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8));
    fdk::oci::ServiceRequest request;
    request.method = "POST";
    request.endpoint = emulator.base_url() + "/20160918";
    request.path = std::string("/instances/") + kStoppedInstance;
    request.query = {{"action", "START"}};
    request.retry_token = true;
    fdk::oci::CallOptions options;
    options.retry_token = "token\r\nX-Injected: yes";
    const auto before = emulator.requests().size();
    CHECK_THROWS_AS(client->call(request, options), std::invalid_argument);
    request.retry_token = false;
    request.headers.set("X-Extra", "v\nX-Injected: yes");
    CHECK_THROWS_AS(client->call(request), std::invalid_argument);
    CHECK(emulator.requests().size() == before);

    fdk::oci::ClientOptions injected;
    injected.user_agent = "agent\r\nX-Injected: yes";
    CHECK_THROWS_WITH_AS(fdk::oci::Client(emulator.resource_principal(oci_test::test_key().pkcs8), injected),
                         doctest::Contains("user_agent"), std::invalid_argument);
  }

  TEST_CASE("authenticated proxies: Basic credentials on CONNECT, never in a message") {
    EmulatorFixture emulator;
    ConnectProxy proxy;
    const std::string proxy_url = "http://alice:s3cret@127.0.0.1:" + std::to_string(proxy.port());
    fdk::oci::TransportOptions options;
    options.extra_ca_file = OCI_TEST_CA;
    options.config = oci_test::env({{"https_proxy", proxy_url}});
    const auto transport = fdk::oci::make_http_transport(options);
    CHECK(transport({"GET", emulator.base_url() + "/_emulator/state", {}, ""}).status == 200);
    CHECK(proxy.authorizations() == std::vector<std::string>{"Basic YWxpY2U6czNjcmV0"});
  }

  TEST_CASE("authenticated proxies: absolute-form requests carry Proxy-Authorization") {
    CountingServer proxy([](int, const oci_emulator::Request&) { return ok(); });
    HttpClientSettings settings = trusting_test_ca();
    const std::string proxy_url = "http://bob:pa%3Ass@" + proxy.url().substr(std::string("http://").size());
    settings.env = [proxy_url](const char* name) -> std::optional<std::string> {
      if (std::string(name) == "http_proxy") return proxy_url;
      return std::nullopt;
    };
    HttpClient client(settings);
    CHECK(client.send(HttpRequest{"GET", "http://metadata.invalid/opc/v2/instance/region", {}, ""}, soon()).status == 200);
    REQUIRE(proxy.seen().size() == 1);
    CHECK(proxy.seen()[0].headers.get_or("proxy-authorization", "") == "Basic Ym9iOnBhOnNz");  // bob:pa:ss
  }

  TEST_CASE("a bad proxy URL with credentials: a CredentialsError that does not quote them") {
    fdk::oci::TransportOptions options;
    options.config = oci_test::env({{"http_proxy", "http://alice:hunter2@127.0.0.1:99999"}});
    fdk::oci::InstancePrincipalProvider provider(oci_test::env({{"OCI_METADATA_BASE_URL", "http://127.0.0.1:1/opc/v2/"}}),
                                                 fdk::oci::make_http_transport(options));
    try {
      (void)provider.region();
      FAIL("expected a CredentialsError");
    } catch (const fdk::oci::CredentialsError& error) {
      const std::string message = error.what();
      CHECK_MESSAGE(message.find("hunter2") == std::string::npos, message);
      CHECK_MESSAGE(message.find("http_proxy") != std::string::npos, message);
    }
  }

  TEST_CASE("a response body over the limit is a clear error, not success") {
    CountingServer server([](int, const oci_emulator::Request&) { return ok(std::string(2u << 20, 'x')); });
    HttpClientSettings settings = trusting_test_ca();
    settings.max_response_body_bytes = 1u << 20;
    HttpClient limited(settings);
    try {
      (void)limited.send(HttpRequest{"GET", server.url(), {}, ""}, soon());
      FAIL("expected a NetworkError");
    } catch (const fdk::oci::NetworkError& error) {
      CHECK(std::string(error.what()).find("larger than the limit of 1048576 bytes") != std::string::npos);
      CHECK_FALSE(error.retryable());
    }
    HttpClient defaults(trusting_test_ca());  // 16 MiB
    CHECK(defaults.send(HttpRequest{"GET", server.url(), {}, ""}, soon()).body.size() == (2u << 20));
  }

  TEST_CASE("the Client's max_response_bytes bounds service answers") {
    CountingServer server([](int, const oci_emulator::Request&) { return ok("{\"a\":\"" + std::string(5000, 'x') + "\"}"); });
    fdk::oci::ClientOptions options;
    options.max_response_bytes = 4096;
    options.config = fdk::Config();
    options.retry.jitter = [] { return 0.0; };
    options.timing.sleep = [](std::chrono::milliseconds) {};
    EmulatorFixture emulator;
    fdk::oci::Client client(emulator.resource_principal(oci_test::test_key().pkcs8), options);
    fdk::oci::ServiceRequest request;
    request.endpoint = server.url("/20160918");
    request.path = "/instances/x";
    CHECK_THROWS_WITH_AS(client.call(request), doctest::Contains("larger than the limit of 4096 bytes"),
                         fdk::oci::NetworkError);
    CHECK(server.count() == 1);  // not retried: the answer would be as large again
  }

  TEST_CASE("a POST is not re-sent when a reused connection fails after the server read it") {
    // Request 1 is answered and leaves the connection pooled; request 2 is read, then the
    // connection is reset without an answer: the server may have acted on it.
    const auto reply = [](int number, const oci_emulator::Request&) {
      return number == 2 ? oci_emulator::Reply{0, {}, "", true} : ok();
    };
    {
      CountingServer server(reply);
      HttpClient client(trusting_test_ca());
      CHECK(client.send(HttpRequest{"GET", server.url(), {}, ""}, soon()).status == 200);
      CHECK_THROWS_AS(client.send(HttpRequest{"POST", server.url(), {}, "{}"}, soon()), fdk::oci::NetworkError);
      CHECK(server.count() == 2);
    }
    {
      CountingServer server(reply);
      HttpClient client(trusting_test_ca());
      CHECK(client.send(HttpRequest{"GET", server.url(), {}, ""}, soon()).status == 200);
      fdk::Headers token;
      token.set("opc-retry-token", "abc");
      CHECK(client.send(HttpRequest{"POST", server.url(), token, "{}"}, soon()).status == 200);
      CHECK(server.count() == 3);  // a retry token makes the replay safe
    }
    {
      CountingServer server(reply);
      HttpClient client(trusting_test_ca());
      CHECK(client.send(HttpRequest{"GET", server.url(), {}, ""}, soon()).status == 200);
      CHECK(client.send(HttpRequest{"GET", server.url(), {}, ""}, soon()).status == 200);
      CHECK(server.count() == 3);  // GET is idempotent: replayed transparently
    }
  }
}
