// Automatic and explicit provider selection.
#include <doctest/doctest.h>

#include "fdk/oci/credentials.hpp"
#include "fdk/oci/errors.hpp"
#include "test_support.hpp"

using fdk::oci::AuthKind;
using fdk::oci::AuthOptions;
using fdk::oci::choose_auth_kind;

TEST_CASE("automatic selection: resource principal, then explicit config, then instance principal") {
  CHECK(choose_auth_kind(oci_test::env({{"OCI_RESOURCE_PRINCIPAL_VERSION", "2.2"}, {"OCI_CONFIG_FILE", "/c"}})) ==
        AuthKind::resource_principal);
  CHECK(choose_auth_kind(oci_test::env({{"OCI_CONFIG_FILE", "/c"}})) == AuthKind::api_key);
  CHECK(choose_auth_kind(oci_test::env({{"OCI_CONFIG_PROFILE", "DEV"}})) == AuthKind::api_key);
  AuthOptions with_profile;
  with_profile.profile = "DEV";
  CHECK(choose_auth_kind(oci_test::env({}), with_profile) == AuthKind::api_key);
  CHECK(choose_auth_kind(oci_test::env({{"HOME", "/home/x"}})) == AuthKind::instance_principal);
  CHECK(choose_auth_kind(oci_test::env({{"OCI_RESOURCE_PRINCIPAL_VERSION", "  "}})) == AuthKind::instance_principal);
  AuthOptions explicit_kind;
  explicit_kind.kind = AuthKind::api_key;
  CHECK(choose_auth_kind(oci_test::env({{"OCI_RESOURCE_PRINCIPAL_VERSION", "2.2"}}), explicit_kind) ==
        AuthKind::api_key);
}

TEST_CASE("make_auth_provider builds the chosen provider") {
  const auto token = oci_test::make_token(std::chrono::system_clock::now() + std::chrono::hours(1));
  auto rp = fdk::oci::make_auth_provider(oci_test::env({{"OCI_RESOURCE_PRINCIPAL_VERSION", "2.2"},
                                                       {"OCI_RESOURCE_PRINCIPAL_RPST", token},
                                                       {"OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM", oci_test::test_key().pkcs1},
                                                       {"OCI_RESOURCE_PRINCIPAL_REGION", "fra"}}));
  CHECK(rp->kind() == "resource_principal");
  CHECK(rp->region() == "eu-frankfurt-1");

  AuthOptions ip;
  ip.transport = [](const fdk::oci::TransportRequest&) { return fdk::oci::TransportResponse{200, "iad"}; };
  auto instance = fdk::oci::make_auth_provider(oci_test::env({}), ip);
  CHECK(instance->kind() == "instance_principal");
  CHECK(instance->region() == "us-ashburn-1");
}

TEST_CASE("no credentials at all falls back to instance principal, whose failure lists what to set") {
  // Port 9 (discard) on loopback: nothing listens, so the metadata service is unreachable.
  auto provider = fdk::oci::make_auth_provider(oci_test::env({{"OCI_METADATA_BASE_URL", "http://127.0.0.1:9/opc/v2/"}}));
  CHECK(provider->kind() == "instance_principal");
  const auto message = oci_test::credentials_error_of([&] { (void)provider->region(); });
  CHECK(message.find("127.0.0.1:9") != std::string::npos);
  CHECK(message.find("OCI_RESOURCE_PRINCIPAL_VERSION") != std::string::npos);
  CHECK(message.find("OCI_CONFIG_FILE") != std::string::npos);
}
