// Resource Principal v2.2: the provider matrix (inline, file, encrypted, mixed, missing, expired).
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <atomic>
#include <functional>
#include <thread>

#include "fdk/oci/endpoints.hpp"
#include "fdk/oci/errors.hpp"
#include "fdk/oci/regions.hpp"
#include "fdk/oci/resource_principal.hpp"
#include "oci/auth/public_key.hpp"
#include "oci/auth/request_signing.hpp"
#include "oci/auth/signing_string.hpp"
#include "test_support.hpp"

using fdk::oci::CredentialsError;
using fdk::oci::ResourcePrincipalProvider;
using fdk::oci::SignableRequest;
using namespace std::chrono_literals;

namespace {

std::map<std::string, std::string, std::less<>> rp_env(const std::string& token, const std::string& key) {
  return {{"OCI_RESOURCE_PRINCIPAL_VERSION", "2.2"},
          {"OCI_RESOURCE_PRINCIPAL_RPST", token},
          {"OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM", key},
          {"OCI_RESOURCE_PRINCIPAL_REGION", "iad"}};
}

fdk::oci::Clock clock_at(const std::chrono::system_clock::time_point* now) {
  return [now] { return *now; };
}

const auto kNow = oci_test::fixed_now();

// Signs a GET and checks the signature verifies with `public_pem` and carries ST$<token>.
void check_signs_with(fdk::oci::AuthProvider& provider, const std::string& token, const std::string& public_pem) {
  SignableRequest request{"GET", "iaas.us-ashburn-1.oraclecloud.com", "/20160918/instances/x", {}, ""};
  provider.sign(request);
  std::string key_id;
  const auto key = fdk::oci::detail::PublicKey::from_pem(public_pem, "test");
  CHECK(fdk::oci::detail::verify_request(request, key, &key_id) == fdk::oci::detail::VerifyResult::ok);
  CHECK(key_id == "ST$" + token);
}


// No secret may appear in any message.
void check_no_secret(const std::string& message, const std::string& token) {
  const auto& key = oci_test::test_key();
  CHECK(message.find(token) == std::string::npos);
  CHECK(message.find(token.substr(0, 20)) == std::string::npos);
  CHECK(message.find(oci_test::kPassphrase) == std::string::npos);
  CHECK(message.find("PRIVATE KEY-----") == std::string::npos);
  CHECK(message.find(key.pkcs8.substr(40, 40)) == std::string::npos);
}

}  // namespace

TEST_CASE("inline token and inline PKCS#8 key sign with ST$<token>") {
  const auto token = oci_test::make_token(kNow + 1h);
  ResourcePrincipalProvider provider(oci_test::env(rp_env(token, oci_test::test_key().pkcs8)), clock_at(&kNow));
  CHECK(provider.kind() == "resource_principal");
  CHECK(provider.region() == "us-ashburn-1");
  CHECK(provider.tenancy_id() == "ocid1.tenancy.oc1..tenant");
  CHECK(provider.claims().compartment_id == "ocid1.compartment.oc1..compartment");
  CHECK(provider.claims().expires_at == kNow + 1h);
  check_signs_with(provider, token, oci_test::test_key().public_key);
}

TEST_CASE("token and PKCS#1 key from files; whitespace around the token is trimmed") {
  oci_test::ScratchDir dir;
  const auto token = oci_test::make_token(kNow + 1h);
  auto env = rp_env(dir.write("rpst", "\n  " + token + "\r\n\n"), dir.write("key.pem", oci_test::test_key().pkcs1));
  env["OCI_RESOURCE_PRINCIPAL_REGION"] = "us-phoenix-1";
  ResourcePrincipalProvider provider(oci_test::env(env), clock_at(&kNow));
  CHECK(provider.region() == "us-phoenix-1");
  check_signs_with(provider, token, oci_test::test_key().public_key);
}

TEST_CASE("encrypted PKCS#8 and traditional encrypted PEM, passphrase inline or from a file") {
  oci_test::ScratchDir dir;
  const auto token = oci_test::make_token(kNow + 1h);
  for (const auto* pem : {&oci_test::test_key().pkcs8_encrypted, &oci_test::test_key().traditional_encrypted}) {
    auto both_inline = rp_env(token, *pem);
    both_inline["OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE"] = oci_test::kPassphrase;
    ResourcePrincipalProvider inline_provider(oci_test::env(both_inline), clock_at(&kNow));
    check_signs_with(inline_provider, token, oci_test::test_key().public_key);

    // Both files; the passphrase file ends in a newline that is not part of the passphrase.
    auto both_files = rp_env(token, dir.write("enc.pem", *pem));
    both_files["OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE"] =
        dir.write("pass", std::string(oci_test::kPassphrase) + "\n");
    ResourcePrincipalProvider file_provider(oci_test::env(both_files), clock_at(&kNow));
    check_signs_with(file_provider, token, oci_test::test_key().public_key);
  }
}

TEST_CASE("an encrypted key without a passphrase names the passphrase variable") {
  const auto token = oci_test::make_token(kNow + 1h);
  ResourcePrincipalProvider provider(oci_test::env(rp_env(token, oci_test::test_key().pkcs8_encrypted)),
                                     clock_at(&kNow));
  SignableRequest request{"GET", "h", "/", {}, ""};
  const auto message = oci_test::credentials_error_of([&] { provider.sign(request); });
  CHECK(message.find("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE") != std::string::npos);
  CHECK(message.find("encrypted") != std::string::npos);
  check_no_secret(message, token);
}

TEST_CASE("a wrong passphrase is reported without echoing it") {
  const auto token = oci_test::make_token(kNow + 1h);
  auto env = rp_env(token, oci_test::test_key().traditional_encrypted);
  env["OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE"] = "wrong-passphrase-value";
  ResourcePrincipalProvider provider(oci_test::env(env), clock_at(&kNow));
  SignableRequest request{"GET", "h", "/", {}, ""};
  const auto message = oci_test::credentials_error_of([&] { provider.sign(request); });
  CHECK(message.find("passphrase is wrong") != std::string::npos);
  CHECK(message.find("wrong-passphrase-value") == std::string::npos);
  check_no_secret(message, token);
}

TEST_CASE("mixing a key file with an inline passphrase (or the reverse) is rejected") {
  oci_test::ScratchDir dir;
  const auto token = oci_test::make_token(kNow + 1h);
  SUBCASE("key file, inline passphrase") {
    auto env = rp_env(token, dir.write("enc.pem", oci_test::test_key().pkcs8_encrypted));
    env["OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE"] = oci_test::kPassphrase;
    const auto message = oci_test::credentials_error_of([&] { ResourcePrincipalProvider p(oci_test::env(env)); });
    CHECK(message.find("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM is a file path") != std::string::npos);
    CHECK(message.find("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE is an inline value") != std::string::npos);
    check_no_secret(message, token);
  }
  SUBCASE("inline key, passphrase file") {
    auto env = rp_env(token, oci_test::test_key().pkcs8_encrypted);
    env["OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE"] = dir.write("pass", oci_test::kPassphrase);
    const auto message = oci_test::credentials_error_of([&] { ResourcePrincipalProvider p(oci_test::env(env)); });
    CHECK(message.find("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM is an inline PEM") != std::string::npos);
    check_no_secret(message, token);
  }
}

TEST_CASE("missing or unsupported settings name the variable") {
  const auto token = oci_test::make_token(kNow + 1h);
  const auto full = rp_env(token, oci_test::test_key().pkcs8);
  for (const char* variable : {"OCI_RESOURCE_PRINCIPAL_VERSION", "OCI_RESOURCE_PRINCIPAL_RPST",
                               "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM", "OCI_RESOURCE_PRINCIPAL_REGION"}) {
    CAPTURE(variable);
    auto env = full;
    env.erase(variable);
    const auto message = oci_test::credentials_error_of([&] { ResourcePrincipalProvider p(oci_test::env(env)); });
    CHECK(message.find(std::string(variable) + " is not set") != std::string::npos);
    check_no_secret(message, token);
  }
  auto env = full;
  env["OCI_RESOURCE_PRINCIPAL_VERSION"] = "1.1";
  const auto message = oci_test::credentials_error_of([&] { ResourcePrincipalProvider p(oci_test::env(env)); });
  CHECK(message.find("OCI_RESOURCE_PRINCIPAL_VERSION is '1.1'") != std::string::npos);
}

TEST_CASE("a missing file names the variable and the path") {
  auto env = rp_env("/nonexistent/fdk-oci/rpst", oci_test::test_key().pkcs8);
  ResourcePrincipalProvider provider(oci_test::env(env), clock_at(&kNow));
  const auto message = oci_test::credentials_error_of([&] { (void)provider.claims(); });
  CHECK(message.find("OCI_RESOURCE_PRINCIPAL_RPST") != std::string::npos);
  CHECK(message.find("/nonexistent/fdk-oci/rpst") != std::string::npos);
}

TEST_CASE("a relative path is an inline value, and a bad inline key is not echoed") {
  const auto token = oci_test::make_token(kNow + 1h);
  ResourcePrincipalProvider provider(oci_test::env(rp_env(token, "keys/private-key-secretish.pem")), clock_at(&kNow));
  SignableRequest request{"GET", "h", "/", {}, ""};
  const auto message = oci_test::credentials_error_of([&] { provider.sign(request); });
  CHECK(message.find("OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM (inline value)") != std::string::npos);
  CHECK(message.find("secretish") == std::string::npos);
}

TEST_CASE("a malformed token is reported without quoting it") {
  const std::string token = "eyJhbGciOi-this-is-not-a-jwt-but-looks-secret";
  ResourcePrincipalProvider provider(oci_test::env(rp_env(token, oci_test::test_key().pkcs8)), clock_at(&kNow));
  const auto message = oci_test::credentials_error_of([&] { (void)provider.claims(); });
  CHECK(message.find("OCI_RESOURCE_PRINCIPAL_RPST") != std::string::npos);
  check_no_secret(message, token);
}

TEST_CASE("an expired inline token fails before any request is sent") {
  const auto token = oci_test::make_token(kNow - 1s);
  ResourcePrincipalProvider provider(oci_test::env(rp_env(token, oci_test::test_key().pkcs8)), clock_at(&kNow));
  SignableRequest request{"GET", "h", "/", {}, ""};
  const auto message = oci_test::credentials_error_of([&] { provider.sign(request); });
  CHECK(message.find("expired") != std::string::npos);
  CHECK(message.find("OCI_RESOURCE_PRINCIPAL_RPST") != std::string::npos);
  CHECK_FALSE(request.headers.contains("authorization"));
  check_no_secret(message, token);
}

TEST_CASE("files are re-read when the token is within five minutes of expiry") {
  oci_test::ScratchDir dir;
  auto now = kNow;
  const auto first_token = oci_test::make_token(kNow + 10min);
  const auto second_token = oci_test::make_token(kNow + 70min);
  auto env = rp_env(dir.write("rpst", first_token), dir.write("key.pem", oci_test::test_key().pkcs1));
  ResourcePrincipalProvider provider(oci_test::env(env), clock_at(&now));
  check_signs_with(provider, first_token, oci_test::test_key().public_key);

  // The platform rotates both files.
  dir.write("rpst", second_token);
  dir.write("key.pem", oci_test::other_test_key().pkcs8);

  now = kNow + 4min;  // still outside the 5-minute window: the cached token is used
  check_signs_with(provider, first_token, oci_test::test_key().public_key);
  now = kNow + 5min + 1s;  // inside the window: re-read before signing
  check_signs_with(provider, second_token, oci_test::other_test_key().public_key);
  CHECK(provider.claims().expires_at == kNow + 70min);
}

TEST_CASE("a token file left expired by the platform is an error naming the file") {
  oci_test::ScratchDir dir;
  auto now = kNow;
  const auto path = dir.write("rpst", oci_test::make_token(kNow + 1min));
  ResourcePrincipalProvider provider(oci_test::env(rp_env(path, oci_test::test_key().pkcs8)), clock_at(&now));
  (void)provider.claims();
  now = kNow + 2min;
  SignableRequest request{"GET", "h", "/", {}, ""};
  const auto message = oci_test::credentials_error_of([&] { provider.sign(request); });
  CHECK(message.find(path) != std::string::npos);
  CHECK(message.find("expired") != std::string::npos);
}

TEST_CASE("refresh() re-reads rotated files and says whether a retry can help") {
  oci_test::ScratchDir dir;
  const auto first = oci_test::make_token(kNow + 1h, {{"res_tenant", "t1"}});
  const auto second = oci_test::make_token(kNow + 2h, {{"res_tenant", "t2"}});
  ResourcePrincipalProvider from_files(
      oci_test::env(rp_env(dir.write("rpst", first), dir.write("k.pem", oci_test::test_key().pkcs8))), clock_at(&kNow));
  CHECK(from_files.tenancy_id() == "t1");
  dir.write("rpst", second);
  CHECK(from_files.tenancy_id() == "t1");
  CHECK(from_files.refresh());
  CHECK(from_files.tenancy_id() == "t2");

  ResourcePrincipalProvider inline_only(oci_test::env(rp_env(first, oci_test::test_key().pkcs8)), clock_at(&kNow));
  CHECK_FALSE(inline_only.refresh());
}

TEST_CASE("concurrent signing shares one loaded key") {
  const auto token = oci_test::make_token(kNow + 1h);
  ResourcePrincipalProvider provider(oci_test::env(rp_env(token, oci_test::test_key().pkcs8)), clock_at(&kNow));
  std::vector<std::thread> threads;
  std::atomic<int> signed_ok{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 5; ++j) {
        SignableRequest request{"POST", "h", "/x", {}, "{}"};
        provider.sign(request);
        if (request.headers.contains("authorization")) ++signed_ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(signed_ok == 20);
}

TEST_CASE("credential files must be regular files of sensible size: FIFOs, devices and directories are refused") {
  oci_test::ScratchDir dir;
  const std::string key = dir.write("key.pem", oci_test::test_key().pkcs8);
  const std::string fifo = (dir.path() / "token.fifo").string();
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  const std::string huge = dir.write("huge.jwt", std::string((1u << 20) + 1, 'a'));
  struct Case {
    std::string token_path;
    const char* expected;
  };
  for (const Case& bad : {Case{fifo, "not a regular file"}, Case{"/dev/zero", "not a regular file"},
                          Case{dir.path().string(), "is a directory"}, Case{huge, "bytes long"}}) {
    CAPTURE(bad.token_path);
    // Before the check, the FIFO blocked for ever and /dev/zero was read without end.
    ResourcePrincipalProvider provider(oci_test::env(rp_env(bad.token_path, key)), clock_at(&kNow));
    SignableRequest request{"GET", "h", "/", {}, ""};
    try {
      provider.sign(request);
      FAIL("expected CredentialsError");
    } catch (const CredentialsError& error) {
      CHECK(std::string(error.what()).find(bad.expected) != std::string::npos);
      CHECK(std::string(error.what()).find("OCI_RESOURCE_PRINCIPAL_RPST") != std::string::npos);
    }
  }
}

TEST_CASE("a region that could not be part of a host name is refused") {
  const auto token = oci_test::make_token(kNow + 1h);
  for (const char* region : {"evil.example.com/x?", "us-ashburn-1\r\nHost: x", "-iad", "a b"}) {
    CAPTURE(region);
    auto settings = rp_env(token, oci_test::test_key().pkcs8);
    settings["OCI_RESOURCE_PRINCIPAL_REGION"] = region;
    CHECK_THROWS_WITH_AS(ResourcePrincipalProvider(oci_test::env(settings), clock_at(&kNow)),
                         doctest::Contains("OCI_RESOURCE_PRINCIPAL_REGION is not a region name"), CredentialsError);
  }
  CHECK(fdk::oci::is_valid_region("us-ashburn-1"));
  CHECK(fdk::oci::is_valid_region(fdk::oci::canonical_region("IAD")));
  CHECK_FALSE(fdk::oci::is_valid_region(""));
  CHECK_FALSE(fdk::oci::is_valid_region(std::string(64, 'a')));
  CHECK_THROWS_AS((void)fdk::oci::default_service_endpoint(fdk::oci::Service::compute, "x.evil.com/"),
                  std::invalid_argument);
}
