// API key credentials from an OCI config file.
#include <doctest/doctest.h>

#include "fdk/oci/api_key.hpp"
#include "fdk/oci/errors.hpp"
#include "oci/auth/oci_config_file.hpp"
#include "oci/auth/public_key.hpp"
#include "oci/auth/request_signing.hpp"
#include "test_support.hpp"

using fdk::oci::ApiKeyProvider;
using fdk::oci::CredentialsError;
using fdk::oci::SignableRequest;

namespace {

std::string profile_text(const std::string& key_file, const std::string& extra = "") {
  return "[DEFAULT]\n"
         "region = iad\n"
         "tenancy=ocid1.tenancy.oc1..default\n"
         "\n"
         "# a developer profile\n"
         "[DEV]\n"
         "user=ocid1.user.oc1..dev\n"
         "fingerprint=aa:bb:cc\n"
         "key_file=" + key_file + "\n" + extra;
}

std::string key_id_after_signing(fdk::oci::AuthProvider& provider, const std::string& public_pem) {
  SignableRequest request{"GET", "h", "/", {}, ""};
  provider.sign(request);
  std::string key_id;
  const auto key = fdk::oci::detail::PublicKey::from_pem(public_pem, "test");
  CHECK(fdk::oci::detail::verify_request(request, key, &key_id) == fdk::oci::detail::VerifyResult::ok);
  return key_id;
}


}  // namespace

TEST_CASE("a profile inherits from DEFAULT and signs with tenancy/user/fingerprint") {
  oci_test::ScratchDir dir;
  const auto key = dir.write("api.pem", oci_test::test_key().pkcs1);
  const auto config = dir.write("config", profile_text(key));
  ApiKeyProvider provider(oci_test::env({}), config, "DEV");
  CHECK(provider.kind() == "api_key");
  CHECK(provider.region() == "us-ashburn-1");
  CHECK(provider.tenancy_id() == "ocid1.tenancy.oc1..default");
  CHECK(key_id_after_signing(provider, oci_test::test_key().public_key) ==
        "ocid1.tenancy.oc1..default/ocid1.user.oc1..dev/aa:bb:cc");
  CHECK_FALSE(provider.refresh());
}

TEST_CASE("config file and profile come from OCI_CONFIG_FILE / OCI_CONFIG_PROFILE, ~ from HOME") {
  oci_test::ScratchDir dir;
  std::filesystem::create_directories(dir.path() / ".oci");
  dir.write(".oci/api.pem", oci_test::test_key().pkcs8_encrypted);
  dir.write(".oci/config", profile_text("~/.oci/api.pem", std::string("pass_phrase=") + oci_test::kPassphrase + "\n"));
  ApiKeyProvider provider(oci_test::env({{"HOME", dir.path().string()},
                                         {"OCI_CONFIG_FILE", "~/.oci/config"},
                                         {"OCI_CONFIG_PROFILE", "DEV"}}));
  CHECK(provider.source().find("[DEV]") != std::string::npos);
  CHECK(key_id_after_signing(provider, oci_test::test_key().public_key).find("/ocid1.user.oc1..dev/") !=
        std::string::npos);
}

TEST_CASE("missing entries, profiles and files are named") {
  oci_test::ScratchDir dir;
  const auto key = dir.write("api.pem", oci_test::test_key().pkcs8);
  const auto config = dir.write("config", profile_text(key));
  // DEFAULT alone has no key_file (nor user).
  auto message = oci_test::credentials_error_of([&] { ApiKeyProvider p(oci_test::env({}), config, "DEFAULT"); });
  CHECK(message.find("no 'key_file' entry") != std::string::npos);
  CHECK(message.find(config) != std::string::npos);

  message = oci_test::credentials_error_of([&] { ApiKeyProvider p(oci_test::env({}), config, "PROD"); });
  CHECK(message.find("[PROD]") != std::string::npos);

  message = oci_test::credentials_error_of([&] { ApiKeyProvider p(oci_test::env({}), dir.path().string() + "/absent", "DEV"); });
  CHECK(message.find("/absent") != std::string::npos);

  const auto broken = dir.write("broken", "[DEV]\nuser=x\nthis line is wrong\n");
  message = oci_test::credentials_error_of([&] { ApiKeyProvider p(oci_test::env({}), broken, "DEV"); });
  CHECK(message.find("line 3") != std::string::npos);
}

TEST_CASE("an encrypted key file without pass_phrase points at pass_phrase, not at the key") {
  oci_test::ScratchDir dir;
  const auto key = dir.write("api.pem", oci_test::test_key().traditional_encrypted);
  ApiKeyProvider provider(oci_test::env({}), dir.write("config", profile_text(key)), "DEV");
  SignableRequest request{"GET", "h", "/", {}, ""};
  const auto message = oci_test::credentials_error_of([&] { provider.sign(request); });
  CHECK(message.find("pass_phrase") != std::string::npos);
  CHECK(message.find(key) != std::string::npos);
  CHECK(message.find("PRIVATE KEY-----") == std::string::npos);
}

TEST_CASE("a wrong pass_phrase is not echoed") {
  oci_test::ScratchDir dir;
  const auto key = dir.write("api.pem", oci_test::test_key().pkcs8_encrypted);
  ApiKeyProvider provider(oci_test::env({}), dir.write("config", profile_text(key, "pass_phrase=hunter2-secret\n")), "DEV");
  SignableRequest request{"GET", "h", "/", {}, ""};
  const auto message = oci_test::credentials_error_of([&] { provider.sign(request); });
  CHECK(message.find("hunter2") == std::string::npos);
}

TEST_CASE("security_token_file switches to ST$ key ids and refresh re-reads it") {
  oci_test::ScratchDir dir;
  const auto key = dir.write("api.pem", oci_test::test_key().pkcs8);
  const auto token_path = dir.write("token", "first-token\n");
  ApiKeyProvider provider(oci_test::env({}), dir.write("config", profile_text(key, "security_token_file=" + token_path + "\n")),
                          "DEV");
  CHECK(key_id_after_signing(provider, oci_test::test_key().public_key) == "ST$first-token");
  dir.write("token", "second-token");
  CHECK(provider.refresh());
  CHECK(key_id_after_signing(provider, oci_test::test_key().public_key) == "ST$second-token");
}

TEST_CASE("config parsing: comments, whitespace, malformed lines") {
  using fdk::oci::detail::parse_oci_config;
  auto parsed = parse_oci_config("; c\n[A]\n  k = v = w  \n\n[B]\nx=1");
  CHECK_FALSE(parsed.malformed_line);
  CHECK(parsed.profiles["A"]["k"] == "v = w");
  CHECK(parsed.profiles["B"]["x"] == "1");
  CHECK(parse_oci_config("k=v\n").malformed_line == 1u);
  CHECK(parse_oci_config("[A]\n=v\n").malformed_line == 2u);
  CHECK_FALSE(parse_oci_config("").malformed_line);
}
