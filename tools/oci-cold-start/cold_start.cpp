// oci-cold-start: how long a process takes to reach each step of one signed OCI call, for
// measuring with hyperfine (see measure.sh and docs/oci-http-client.md).
//   oci-cold-start startup   return at once (process start and dynamic linking only)
//   oci-cold-start tcp URL   connect a TCP socket to URL's host
//   oci-cold-start tls URL   connect and finish the TLS handshake (trust: /etc/ssl/certs + OCI_CA_BUNDLE)
//   oci-cold-start call      GET the instance OCI_INSTANCE_ID with the resource principal from the
//                            environment, endpoint OCI_COMPUTE_ENDPOINT
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "fdk/oci/compute.hpp"
#include "fdk/oci/resource_principal.hpp"
#include "oci/http/connection.hpp"
#include "oci/http/tls_context.hpp"

namespace {

int connect_only(const std::string& url_text, bool tls) {
  const auto url = fdk::oci::http::parse_url(url_text);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  std::unique_ptr<fdk::oci::http::TlsContext> context;
  if (tls) {
    fdk::oci::http::TrustSettings trust;
    if (const char* extra = std::getenv("OCI_CA_BUNDLE")) trust.extra_ca_file = extra;
    context = std::make_unique<fdk::oci::http::TlsContext>(trust);
  }
  fdk::oci::http::Url target = url;
  if (!tls) target.scheme = "http";  // TCP only: skip the handshake even for an https URL
  auto connection = fdk::oci::http::Connection::open(target, std::nullopt, context.get(), until);
  return connection ? 0 : 1;
}

int signed_call() {
  std::map<std::string, std::string, std::less<>> environment;
  for (const char* name : {"OCI_RESOURCE_PRINCIPAL_VERSION", "OCI_RESOURCE_PRINCIPAL_RPST",
                           "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM", "OCI_RESOURCE_PRINCIPAL_REGION"}) {
    if (const char* value = std::getenv(name)) environment[name] = value;
  }
  auto auth = std::make_shared<fdk::oci::ResourcePrincipalProvider>(fdk::Config(environment));
  fdk::oci::ComputeClient compute(std::make_shared<fdk::oci::Client>(auth));
  const char* id = std::getenv("OCI_INSTANCE_ID");
  return compute.get_instance(id != nullptr ? id : "").lifecycle_state.empty() ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  try {
    if (mode == "startup") return 0;
    if ((mode == "tcp" || mode == "tls") && argc > 2) return connect_only(argv[2], mode == "tls");
    if (mode == "call") return signed_call();
  } catch (const std::exception& error) {
    std::cerr << "oci-cold-start: " << error.what() << "\n";
    return 1;
  }
  std::cerr << "usage: oci-cold-start startup | tcp URL | tls URL | call\n";
  return 2;
}
