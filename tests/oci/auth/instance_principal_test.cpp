// Instance principal: metadata service, X.509 federation and session key, against a fake transport.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "fdk/oci/errors.hpp"
#include "fdk/oci/instance_principal.hpp"
#include "encoding/base64.hpp"
#include "oci/auth/certificate.hpp"
#include "oci/auth/public_key.hpp"
#include "oci/auth/request_signing.hpp"
#include "test_support.hpp"

using fdk::oci::InstancePrincipalProvider;
using fdk::oci::SignableRequest;
using fdk::oci::TransportRequest;
using fdk::oci::TransportResponse;
using namespace std::chrono_literals;
namespace detail = fdk::oci::detail;

namespace {

constexpr const char* kMetadata = "http://metadata.test/opc/v2/";
constexpr const char* kTenancy = "ocid1.tenancy.oc1..instancetenant";

// Plays the metadata service and the federation endpoint, checking what the provider sends.
struct FakeOci {
  std::string region_answer = "phx";
  std::string leaf_pem = oci_test::make_certificate(
      oci_test::test_key().pkcs8, "ocid1.instance.oc1.phx.x",
      {"opc-certtype:instance", "opc-compartment:ocid1.compartment.oc1..c", std::string("opc-tenant:") + kTenancy});
  std::string intermediate_pem = oci_test::make_certificate(oci_test::other_test_key().pkcs8, "intermediate", {});
  std::chrono::system_clock::time_point token_expiry = oci_test::fixed_now() + 1h;
  int federation_status = 200;
  int federations = 0;
  std::string federation_url;
  std::string session_public_key_der;
  std::vector<std::string> urls;

  TransportResponse operator()(const TransportRequest& request) {
    urls.push_back(request.url);
    if (request.method == "GET") return metadata(request);
    return federate(request);
  }

  TransportResponse metadata(const TransportRequest& request) {
    CHECK(request.headers.get("authorization") == "Bearer Oracle");
    const std::string path = request.url.substr(std::string(kMetadata).size());
    if (path == "instance/region") return {200, region_answer + "\n"};
    if (path == "identity/cert.pem") return {200, leaf_pem};
    if (path == "identity/intermediate.pem") return {200, intermediate_pem};
    if (path == "identity/key.pem") return {200, oci_test::test_key().pkcs1};
    return {404, R"({"code":"NotFound","message":"no such path"})"};
  }

  TransportResponse federate(const TransportRequest& request) {
    ++federations;
    federation_url = request.url;
    const auto host_start = request.url.find("://") + 3;
    const auto path_start = request.url.find('/', host_start);
    SignableRequest signed_request{request.method, request.url.substr(host_start, path_start - host_start),
                                   request.url.substr(path_start), request.headers, request.body};
    std::string key_id;
    const auto instance_key = detail::PublicKey::from_pem(oci_test::test_key().public_key, "instance");
    CHECK(detail::verify_request(signed_request, instance_key, &key_id) == detail::VerifyResult::ok);
    const auto leaf = detail::Certificate::from_pem(leaf_pem, "leaf");
    CHECK(key_id == std::string(kTenancy) + "/fed-x509/" + leaf.sha1_fingerprint());

    const auto body = nlohmann::json::parse(request.body);
    CHECK(fdk::encoding::base64_decode(body.at("certificate").get<std::string>()) == leaf.der());
    CHECK(fdk::encoding::base64_decode(body.at("intermediateCertificates").at(0).get<std::string>()) ==
          detail::Certificate::from_pem(intermediate_pem, "i").der());
    CHECK(body.at("certificate").get<std::string>().find("BEGIN") == std::string::npos);
    session_public_key_der = fdk::encoding::base64_decode(body.at("publicKey").get<std::string>()).value();
    if (federation_status != 200) return {federation_status, R"({"code":"NotAuthenticated","message":"bad cert"})"};
    return {200, nlohmann::json{{"token", oci_test::make_token(token_expiry, {{"res_tenant", kTenancy}})}}.dump()};
  }
};

fdk::Config ip_env(const std::string& auth_endpoint = "") {
  std::map<std::string, std::string, std::less<>> values{{"OCI_METADATA_BASE_URL", kMetadata}};
  if (!auth_endpoint.empty()) values["OCI_AUTH_ENDPOINT"] = auth_endpoint;
  return oci_test::env(values);
}

fdk::oci::HttpTransport transport_for(FakeOci& fake) {
  return [&fake](const TransportRequest& request) { return fake(request); };
}

}  // namespace

TEST_CASE("federation yields a session token used as ST$ with the fresh session key") {
  FakeOci fake;
  auto now = oci_test::fixed_now();
  InstancePrincipalProvider provider(ip_env(), transport_for(fake), [&] { return now; });
  CHECK(fake.urls.empty());  // nothing fetched until first use
  CHECK(provider.kind() == "instance_principal");
  CHECK(provider.region() == "us-phoenix-1");
  CHECK(provider.tenancy_id() == kTenancy);
  CHECK(fake.federation_url == "https://auth.us-phoenix-1.oraclecloud.com/v1/x509");

  SignableRequest request{"GET", "iaas.us-phoenix-1.oraclecloud.com", "/20160918/instances/i", {}, ""};
  provider.sign(request);
  std::string key_id;
  const auto session_key = detail::PublicKey::from_der(fake.session_public_key_der, "session");
  CHECK(detail::verify_request(request, session_key, &key_id) == detail::VerifyResult::ok);
  CHECK(key_id.rfind("ST$", 0) == 0);
  CHECK(fake.federations == 1);
}

TEST_CASE("OCI_AUTH_ENDPOINT overrides the federation endpoint; gov realms get their domain") {
  FakeOci fake;
  InstancePrincipalProvider with_override(ip_env("https://127.0.0.1:8443/"), transport_for(fake));
  (void)with_override.tenancy_id();
  CHECK(fake.federation_url == "https://127.0.0.1:8443/v1/x509");

  FakeOci gov;
  gov.region_answer = "us-gov-ashburn-1";
  InstancePrincipalProvider in_gov(ip_env(), transport_for(gov));
  (void)in_gov.tenancy_id();
  CHECK(gov.federation_url == "https://auth.us-gov-ashburn-1.oraclegovcloud.com/v1/x509");
}

TEST_CASE("the token is renewed within five minutes of expiry and on refresh()") {
  FakeOci fake;
  auto now = oci_test::fixed_now();
  InstancePrincipalProvider provider(ip_env(), transport_for(fake), [&] { return now; });
  SignableRequest request{"GET", "h", "/", {}, ""};
  provider.sign(request);
  CHECK(fake.federations == 1);
  now = oci_test::fixed_now() + 54min;
  provider.sign(request);
  CHECK(fake.federations == 1);
  fake.token_expiry = oci_test::fixed_now() + 2h;
  now = oci_test::fixed_now() + 56min;
  provider.sign(request);
  CHECK(fake.federations == 2);
  CHECK(provider.refresh());
  CHECK(fake.federations == 3);
}

TEST_CASE("failures name the endpoint and never quote keys or tokens") {
  FakeOci fake;
  fake.federation_status = 401;
  InstancePrincipalProvider provider(ip_env(), transport_for(fake));
  auto message = oci_test::credentials_error_of([&] { (void)provider.tenancy_id(); });
  CHECK(message.find("https://auth.us-phoenix-1.oraclecloud.com/v1/x509") != std::string::npos);
  CHECK(message.find("401") != std::string::npos);
  CHECK(message.find("NotAuthenticated") != std::string::npos);
  CHECK(message.find("PRIVATE KEY") == std::string::npos);

  FakeOci no_tenant;
  no_tenant.leaf_pem = oci_test::make_certificate(oci_test::test_key().pkcs8, "x", {"opc-certtype:instance"});
  InstancePrincipalProvider untenanted(ip_env(), transport_for(no_tenant));
  message = oci_test::credentials_error_of([&] { (void)untenanted.tenancy_id(); });
  CHECK(message.find("identity/cert.pem") != std::string::npos);
  CHECK(message.find("opc-tenant") != std::string::npos);

  InstancePrincipalProvider unreachable(ip_env(), [](const TransportRequest&) -> TransportResponse {
    throw std::runtime_error("connection refused");
  });
  message = oci_test::credentials_error_of([&] { (void)unreachable.region(); });
  CHECK(message.find(std::string(kMetadata) + "instance/region") != std::string::npos);
  CHECK(message.find("connection refused") != std::string::npos);
}

TEST_CASE("opc-identity is accepted when opc-tenant is absent") {
  CHECK(detail::tenancy_from_subject({"CN=x", "opc-identity:ocid1.tenancy.oc1..y"}) == "ocid1.tenancy.oc1..y");
  CHECK(detail::tenancy_from_subject({"opc-identity:a", "opc-tenant:b"}) == "b");
  CHECK(detail::tenancy_from_subject({"opc-tenant:"}).empty());
}
