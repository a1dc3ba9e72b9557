#include "example_emulator.hpp"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "encoding/base64.hpp"
#include "oci/auth/private_key.hpp"

namespace example_test {
namespace {

std::string base64url(const std::string& bytes) {
  std::string text = fdk::encoding::base64_encode(bytes);
  std::replace(text.begin(), text.end(), '+', '-');
  std::replace(text.begin(), text.end(), '/', '_');
  text.erase(text.find_last_not_of('=') + 1);
  return text;
}

/// One RSA-2048 key per test process: generating it is the slow part.
const fdk::oci::detail::PrivateKey& test_key() {
  static const auto key = fdk::oci::detail::PrivateKey::generate_rsa(2048);
  return key;
}

std::string make_directory() {
  std::string pattern = (std::filesystem::temp_directory_path() / "fdk-example-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a scratch directory");
  return pattern;
}

void write_file(const std::string& path, const std::string& content) {
  // Written aside then renamed, so a function reading it concurrently never sees half a token.
  const std::string temporary = path + ".tmp";
  std::ofstream(temporary, std::ios::binary | std::ios::trunc) << content;
  std::filesystem::rename(temporary, path);
}

oci_emulator::Request control_request(const std::string& method, const std::string& path) {
  return oci_emulator::Request{method, path, path, {}, ""};
}

}  // namespace

std::string session_token(std::chrono::system_clock::time_point expires_at) {
  const nlohmann::json claims = {
      {"res_tenant", "ocid1.tenancy.oc1..exampletenancy"},
      {"res_compartment", "ocid1.compartment.oc1..examplecompartment"},
      {"res_type", "fnfunc"},
      {"exp", std::chrono::duration_cast<std::chrono::seconds>(expires_at.time_since_epoch()).count()},
  };
  return base64url(R"({"alg":"RS256","typ":"JWT"})") + "." + base64url(claims.dump()) + "." + base64url("unchecked");
}

std::string test_ca_file() { return OCI_TEST_CA; }

ExampleEmulator::ExampleEmulator(const nlohmann::json& resources, std::chrono::milliseconds transition_delay)
    : directory_(make_directory()), emulator_(oci_emulator::EmulatorSettings{transition_delay, std::chrono::seconds(300)}) {
  key_path_ = directory_ + "/rp_key.pem";
  token_path_ = directory_ + "/rpst";
  write_file(key_path_, test_key().private_key_pem());
  write_token(session_token(std::chrono::system_clock::now() + std::chrono::hours(1)));

  emulator_.load(resources);
  emulator_.load({{"trusted_public_keys", {test_key().public_key_pem()}}});
  emulator_.load({{"instance_identity",
                   {{"region", "us-ashburn-1"},
                    {"certificate", OCI_TEST_INSTANCE_CERT},
                    {"private_key", OCI_TEST_INSTANCE_KEY},
                    {"intermediate", OCI_TEST_INSTANCE_INTERMEDIATE}}}});
  const oci_emulator::TlsFiles tls{OCI_TEST_SERVER_CERT, OCI_TEST_SERVER_KEY};
  server_ = std::make_unique<oci_emulator::HttpServer>(
      0, &tls, [this](const oci_emulator::Request& request) { return emulator_.handle(request); });
  base_url_ = "https://127.0.0.1:" + std::to_string(server_->port());

}

ExampleEmulator::~ExampleEmulator() {
  emulator_.shutdown();
  server_->stop();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

std::map<std::string, std::string> ExampleEmulator::service_settings() const {
  return {{"OCI_COMPUTE_ENDPOINT", base_url_},
          {"OCI_CONTAINER_INSTANCES_ENDPOINT", base_url_},
          {"OCI_SECRETS_ENDPOINT", base_url_},
          {"OCI_CA_BUNDLE", OCI_TEST_CA}};
}

std::map<std::string, std::string> ExampleEmulator::resource_principal_config() const {
  auto config = service_settings();
  config.insert({{"OCI_RESOURCE_PRINCIPAL_VERSION", "2.2"},
                 {"OCI_RESOURCE_PRINCIPAL_RPST", token_path_},
                 {"OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM", key_path_},
                 {"OCI_RESOURCE_PRINCIPAL_REGION", "iad"}});
  return config;
}

std::map<std::string, std::string> ExampleEmulator::function_environment() const { return resource_principal_config(); }

std::map<std::string, std::string> ExampleEmulator::instance_principal_config() const {
  auto config = service_settings();
  config.insert({{"OCI_METADATA_BASE_URL", base_url_ + "/opc/v2/"}, {"OCI_AUTH_ENDPOINT", base_url_}});
  return config;
}

void ExampleEmulator::write_token(const std::string& token) { write_file(token_path_, token + "\n"); }

void ExampleEmulator::add_fault(const nlohmann::json& fault) { emulator_.add_fault(oci_emulator::Fault::from_json(fault)); }

nlohmann::json ExampleEmulator::control(const std::string& method, const std::string& path) {
  const auto reply = emulator_.handle(control_request(method, path));
  return nlohmann::json::parse(reply.body);
}

void ExampleEmulator::set_state(const std::string& kind, const std::string& id, const std::string& state) {
  emulator_.load({{kind, {{{"id", id}, {"lifecycleState", state}}}}});
}

std::string ExampleEmulator::state_of(const std::string& id) {
  const auto state = control("GET", "/_emulator/state");
  for (const char* kind : {"instances", "container_instances"}) {
    for (const auto& resource : state[kind]) {
      if (resource.value("id", "") == id) return resource.value("lifecycleState", "");
    }
  }
  throw std::runtime_error("the emulator holds no resource " + id);
}

nlohmann::json ExampleEmulator::requests() { return control("GET", "/_emulator/requests"); }

int ExampleEmulator::count_requests(const std::string& method, const std::string& fragment) {
  const auto log = requests();
  return static_cast<int>(std::count_if(log.begin(), log.end(), [&](const nlohmann::json& entry) {
    return entry.value("method", "") == method && entry.value("target", "").find(fragment) != std::string::npos;
  }));
}

}  // namespace example_test
