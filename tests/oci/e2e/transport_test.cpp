// The HTTP client underneath: plain HTTP, keep-alive reuse, TLS verification, CONNECT proxies,
// the credential providers' transport, and the emulator as a separate process.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <fstream>
#include <thread>

#include "client_settings.hpp"
#include "connect_proxy.hpp"
#include "emulator_fixture.hpp"
#include "fdk/oci/compute.hpp"
#include "fdk/oci/http_transport.hpp"
#include "oci/http/http_client.hpp"

extern char** environ;

using namespace oci_e2e;
using namespace std::chrono_literals;
using fdk::oci::http::HttpClient;
using fdk::oci::http::HttpClientSettings;
using fdk::oci::http::HttpRequest;


TEST_SUITE("oci") {
  TEST_CASE("typed calls over plain HTTP (emulator in plain mode)") {
    EmulatorFixture emulator(true);
    CHECK(emulator.base_url().rfind("http://", 0) == 0);
    fdk::oci::ComputeClient compute(emulator.client(emulator.resource_principal(oci_test::test_key().pkcs8)),
                                    emulator.base_url() + "/20160918");
    CHECK(compute.get_instance(kRunningInstance).lifecycle_state == "RUNNING");
  }

  TEST_CASE("keep-alive: consecutive requests reuse one pooled connection") {
    EmulatorFixture emulator;
    HttpClient client(trusting_test_ca());
    for (int i = 0; i < 3; ++i) {
      CHECK(client.send(HttpRequest{"GET", emulator.base_url() + "/_emulator/state", {}, ""}, soon()).status == 200);
      CHECK(client.idle_connections() == 1);
    }
  }

  TEST_CASE("a pooled connection the server dropped is replaced transparently") {
    HttpClient client(trusting_test_ca());
    auto answer = [](const oci_emulator::Request&) { return oci_emulator::Reply{200, {}, "ok", false}; };
    auto server = std::make_unique<oci_emulator::HttpServer>(0, nullptr, answer);
    const int port = server->port();
    const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/";
    CHECK(client.send(HttpRequest{"GET", url, {}, ""}, soon()).body == "ok");
    CHECK(client.idle_connections() == 1);
    server.reset();  // closes the pooled connection from the server side
    server = std::make_unique<oci_emulator::HttpServer>(port, nullptr, answer);
    CHECK(client.send(HttpRequest{"GET", url, {}, ""}, soon()).body == "ok");
    CHECK(client.idle_connections() == 1);
    server.reset();
    CHECK_THROWS_WITH_AS(client.send(HttpRequest{"GET", url, {}, ""}, soon()), doctest::Contains("cannot connect"),
                         fdk::oci::NetworkError);
  }

  TEST_CASE("an untrusted server certificate fails at once and says how to trust a private CA") {
    EmulatorFixture emulator;
    HttpClient client(HttpClientSettings{});  // system CAs only: the test CA is unknown
    try {
      client.send(HttpRequest{"GET", emulator.base_url() + "/_emulator/state", {}, ""}, soon());
      FAIL("expected a NetworkError");
    } catch (const fdk::oci::NetworkError& error) {
      CHECK_FALSE(error.retryable());
      CHECK(std::string(error.what()).find("not trusted") != std::string::npos);
      CHECK(std::string(error.what()).find("OCI_CA_BUNDLE") != std::string::npos);
    }
  }

  TEST_CASE("the certificate must name the host: localhost and 127.0.0.1 match, others do not") {
    EmulatorFixture emulator;
    HttpClient client(trusting_test_ca());
    const std::string port = emulator.base_url().substr(emulator.base_url().rfind(':') + 1);
    CHECK(client.send(HttpRequest{"GET", "https://localhost:" + port + "/_emulator/state", {}, ""}, soon()).status == 200);
    HttpRequest wrong_name{"GET", "https://127.0.0.1:" + port + "/_emulator/state", {{"Host", "x"}}, ""};
    CHECK(client.send(wrong_name, soon()).status == 200);  // the Host header does not affect verification
    CHECK_THROWS_AS(client.send(HttpRequest{"GET", "https://127.0.0.2:" + port + "/", {}, ""}, soon()),
                    fdk::oci::NetworkError);  // nothing listens there: the emulator binds 127.0.0.1 only
  }

  TEST_CASE("a missing extra CA file is reported with its path") {
    HttpClientSettings settings;
    settings.trust.extra_ca_file = "/nonexistent/ca.pem";
    HttpClient client(settings);
    CHECK_THROWS_WITH_AS(client.send(HttpRequest{"GET", "https://127.0.0.1:1/", {}, ""}, soon()),
                         doctest::Contains("/nonexistent/ca.pem"), fdk::oci::NetworkError);
  }

  TEST_CASE("https through an https_proxy uses a CONNECT tunnel; no_proxy bypasses it") {
    EmulatorFixture emulator;
    ConnectProxy proxy;
    const std::string proxy_url = "http://127.0.0.1:" + std::to_string(proxy.port());
    HttpClient proxied(trusting_test_ca([proxy_url](const char* name) -> std::optional<std::string> {
      if (std::string(name) == "https_proxy") return proxy_url;
      return std::nullopt;
    }));
    CHECK(proxied.send(HttpRequest{"GET", emulator.base_url() + "/_emulator/state", {}, ""}, soon()).status == 200);
    const std::string authority = emulator.base_url().substr(std::string("https://").size());
    CHECK(proxy.targets() == std::vector<std::string>{authority});

    HttpClient bypassing(trusting_test_ca([proxy_url](const char* name) -> std::optional<std::string> {
      if (std::string(name) == "https_proxy") return proxy_url;
      if (std::string(name) == "no_proxy") return std::string("localhost,127.0.0.1");
      return std::nullopt;
    }));
    CHECK(bypassing.send(HttpRequest{"GET", emulator.base_url() + "/_emulator/state", {}, ""}, soon()).status == 200);
    CHECK(proxy.targets().size() == 1);
  }

  TEST_CASE("a proxy that refuses the CONNECT: a NetworkError with its status, not retryable") {
    ConnectProxy proxy;  // answers 502 Bad Gateway when it cannot reach the target
    const std::string proxy_url = "http://127.0.0.1:" + std::to_string(proxy.port());
    HttpClient proxied(trusting_test_ca([proxy_url](const char* name) -> std::optional<std::string> {
      if (std::string(name) == "https_proxy") return proxy_url;
      return std::nullopt;
    }));
    try {
      (void)proxied.send(HttpRequest{"GET", "https://127.0.0.1:1/", {}, ""}, soon());
      FAIL("expected a NetworkError");
    } catch (const fdk::oci::NetworkError& error) {
      CHECK(std::string(error.what()) == "the proxy refused CONNECT to 127.0.0.1:1: HTTP status 502 Bad Gateway");
      CHECK_FALSE(error.retryable());
    }
    CHECK(proxy.targets() == std::vector<std::string>{"127.0.0.1:1"});
  }

  TEST_CASE("plain http through http_proxy sends absolute-form requests to the proxy") {
    EmulatorFixture emulator(true);
    const std::string proxy_url = emulator.base_url();
    HttpClient proxied(trusting_test_ca([proxy_url](const char* name) -> std::optional<std::string> {
      if (std::string(name) == "http_proxy") return proxy_url;
      return std::nullopt;
    }));
    // The host does not resolve: only a request handed to the proxy can succeed.
    const auto reply = proxied.send(HttpRequest{"GET", "http://metadata.invalid/_emulator/state", {}, ""}, soon());
    CHECK(reply.status == 200);
    HttpClient direct(trusting_test_ca());
    CHECK_THROWS_WITH_AS(direct.send(HttpRequest{"GET", "http://metadata.invalid/_emulator/state", {}, ""}, soon()),
                         doctest::Contains("cannot resolve host 'metadata.invalid'"), fdk::oci::NetworkError);
  }

  TEST_CASE("the HttpTransport adapter for credential providers") {
    EmulatorFixture emulator;
    fdk::oci::TransportOptions options;
    options.extra_ca_file = OCI_TEST_CA;
    const auto transport = fdk::oci::make_http_transport(options);
    const auto reply = transport({"GET", emulator.base_url() + "/_emulator/state", {{"Authorization", "Bearer Oracle"}}, ""});
    CHECK(reply.status == 200);
    CHECK(nlohmann::json::parse(reply.body)["instances"].size() == 3);
    const auto unsigned_call = transport({"GET", emulator.base_url() + "/20160918/instances/x", {}, ""});
    CHECK(unsigned_call.status == 401);
  }

  TEST_CASE("the emulator binary writes its OS-chosen port to --port-file, loads --routes and stops on SIGTERM") {
    oci_test::ScratchDir dir;
    const std::string port_file = (dir.path() / "port").string();
    const std::string key_file = dir.write("trusted.pem", oci_test::test_key().public_key);
    const std::string routes_file =
        dir.write("routes.json", R"([{"method": "GET", "path": "/n/ns/b/bucket/o", "body": {"objects": []}}])");
    std::vector<std::string> args = {OCI_EMULATOR_EXE, "--port", "0", "--port-file", port_file, "--plain",
                                     "--trust-key", key_file, "--transition-delay-ms", "100", "--routes", routes_file};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    REQUIRE(posix_spawn(&pid, OCI_EMULATOR_EXE, &actions, nullptr, argv.data(), environ) == 0);
    posix_spawn_file_actions_destroy(&actions);
    int port = 0;
    for (int i = 0; i < 200 && port == 0; ++i) {
      std::ifstream(port_file) >> port;
      if (port == 0) std::this_thread::sleep_for(10ms);
    }
    REQUIRE(port > 0);
    HttpClient client(trusting_test_ca());
    const auto reply = client.send(HttpRequest{"GET", "http://127.0.0.1:" + std::to_string(port) + "/_emulator/state", {}, ""}, soon());
    CHECK(reply.status == 200);
    CHECK(nlohmann::json::parse(reply.body)["trusted_keys"] == 1);
    CHECK(nlohmann::json::parse(reply.body)["routes"] == nlohmann::json::array({"GET /n/ns/b/bucket/o"}));
    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
}
