#include "emulator_fixture.hpp"

#include "oci/http/http_client.hpp"

namespace oci_e2e {
namespace {

nlohmann::json initial_state() {
  return {
      {"instances",
       {{{"id", kStoppedInstance}, {"displayName", "batch"}, {"compartmentId", "ocid1.compartment.oc1..c"}, {"lifecycleState", "STOPPED"}},
        {{"id", kRunningInstance}, {"displayName", "web"}, {"compartmentId", "ocid1.compartment.oc1..c"}, {"lifecycleState", "RUNNING"}},
        {{"id", kTerminatedInstance}, {"displayName", "old"}, {"lifecycleState", "TERMINATED"}}}},
      {"container_instances", {{{"id", kInactiveContainer}, {"displayName", "ci"}, {"lifecycleState", "INACTIVE"}}}},
      {"secrets",
       {{{"id", kSecret}, {"content", kInactiveContainer}, {"versionNumber", 2}, {"stages", {"CURRENT", "LATEST"}}},
        {{"id", kSecret}, {"content", "old value"}, {"versionNumber", 1}, {"versionName", "first"}, {"stages", {"PREVIOUS"}}}}},
  };
}

fdk::oci::http::HttpClient& control_client() {
  fdk::oci::http::HttpClientSettings settings;
  settings.trust.extra_ca_file = OCI_TEST_CA;
  static fdk::oci::http::HttpClient client(settings);
  return client;
}

}  // namespace

EmulatorFixture::EmulatorFixture(bool plain, std::chrono::milliseconds transition_delay)
    : emulator_(oci_emulator::EmulatorSettings{transition_delay, std::chrono::seconds(300)}) {
  emulator_.load(initial_state());
  emulator_.load({{"trusted_public_keys", {oci_test::test_key().public_key}}});
  emulator_.load({{"instance_identity",
                   {{"region", "eu-frankfurt-1"},
                    {"certificate", OCI_TEST_INSTANCE_CERT},
                    {"private_key", OCI_TEST_INSTANCE_KEY},
                    {"intermediate", OCI_TEST_INSTANCE_INTERMEDIATE}}}});
  const oci_emulator::TlsFiles tls{OCI_TEST_SERVER_CERT, OCI_TEST_SERVER_KEY};
  server_ = std::make_unique<oci_emulator::HttpServer>(0, plain ? nullptr : &tls,
                                                       [this](const oci_emulator::Request& r) { return emulator_.handle(r); });
  base_url_ = std::string(plain ? "http" : "https") + "://127.0.0.1:" + std::to_string(server_->port());
}

EmulatorFixture::~EmulatorFixture() {
  emulator_.shutdown();
  server_->stop();
}

std::shared_ptr<fdk::oci::ResourcePrincipalProvider> EmulatorFixture::resource_principal(const std::string& private_key_pem) {
  const auto token = oci_test::make_token(std::chrono::system_clock::now() + std::chrono::hours(1));
  key_file_ = scratch_.write("rp_key.pem", private_key_pem);
  const std::string token_file = scratch_.write("rpst", token + "\n");
  return std::make_shared<fdk::oci::ResourcePrincipalProvider>(oci_test::env({{"OCI_RESOURCE_PRINCIPAL_VERSION", "2.2"},
                                                                              {"OCI_RESOURCE_PRINCIPAL_RPST", token_file},
                                                                              {"OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM", key_file_},
                                                                              {"OCI_RESOURCE_PRINCIPAL_REGION", "iad"}}));
}

void EmulatorFixture::rotate_key_file(const std::string& private_key_pem) { scratch_.write("rp_key.pem", private_key_pem); }

std::shared_ptr<fdk::oci::Client> EmulatorFixture::client(std::shared_ptr<fdk::oci::AuthProvider> auth,
                                                          fdk::Config config) {
  fdk::oci::ClientOptions options;
  options.config = std::move(config);
  options.extra_ca_file = OCI_TEST_CA;
  options.timing.sleep = [this](std::chrono::milliseconds pause) { sleeps.push_back(pause); };
  options.retry.jitter = [] { return 0.0; };
  return std::make_shared<fdk::oci::Client>(std::move(auth), options);
}

int EmulatorFixture::control(const std::string& method, const std::string& path, const std::string& body) {
  fdk::oci::http::HttpRequest request{method, base_url_ + path, {}, body};
  return control_client().send(request, std::chrono::steady_clock::now() + std::chrono::seconds(5)).status;
}

nlohmann::json EmulatorFixture::requests() {
  fdk::oci::http::HttpRequest request{"GET", base_url_ + "/_emulator/requests", {}, ""};
  return nlohmann::json::parse(
      control_client().send(request, std::chrono::steady_clock::now() + std::chrono::seconds(5)).body);
}

}  // namespace oci_e2e
