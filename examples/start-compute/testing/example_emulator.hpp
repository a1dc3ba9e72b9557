// Test support shared by the start-compute and start-stop-container-instance tests: the OCI
// emulator in this process (HTTPS, signature checks) holding the resources a test asks for,
// and resource principal credentials it trusts (an RSA key generated at test time, a JWT
// session token in a file that tests may rewrite).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "emulator.hpp"
#include "fdk/oci/client.hpp"
#include "http_server.hpp"

namespace example_test {

/// A session token (JWT) with `res_tenant`, `res_compartment` and `exp`; its signature part
/// is junk, as neither the SDKs nor the emulator verify it.
std::string session_token(std::chrono::system_clock::time_point expires_at);

class ExampleEmulator {
 public:
  /// Starts the emulator on a free loopback port with `resources` (the emulator's state
  /// document: instances, container_instances, secrets) and lifecycles that move on after
  /// `transition_delay`; trusts the test key; writes the key and a token valid for an hour.
  /// The function config maps below point the endpoint overrides and OCI_CA_BUNDLE at it: the
  /// process environment is never changed.
  ExampleEmulator(const nlohmann::json& resources, std::chrono::milliseconds transition_delay);
  ~ExampleEmulator();
  ExampleEmulator(const ExampleEmulator&) = delete;
  ExampleEmulator& operator=(const ExampleEmulator&) = delete;

  [[nodiscard]] const std::string& base_url() const { return base_url_; }

  /// Function config: the endpoint overrides and OCI_CA_BUNDLE, and Resource principal v2.2
  /// settings naming the key and token files.
  [[nodiscard]] std::map<std::string, std::string> resource_principal_config() const;
  /// The whole environment a function process needs to work against this emulator
  /// (resource_principal_config).
  [[nodiscard]] std::map<std::string, std::string> function_environment() const;
  /// Function config: the endpoint overrides and OCI_CA_BUNDLE, and instance principal settings
  /// (metadata service and federation served by the emulator).
  [[nodiscard]] std::map<std::string, std::string> instance_principal_config() const;

  /// Replaces the token file's content, as the platform does when it rotates the token.
  void write_token(const std::string& token);

  /// Adds a fault in the control API's JSON form, e.g. {"status": 503, "count": 2}.
  void add_fault(const nlohmann::json& fault);
  /// Sets a resource's lifecycle state at once; `kind` is "instances" or "container_instances".
  void set_state(const std::string& kind, const std::string& id, const std::string& state);
  /// The lifecycle state the emulator holds now for a Compute instance or Container Instance.
  [[nodiscard]] std::string state_of(const std::string& id);
  /// The emulator's request log, oldest first.
  [[nodiscard]] nlohmann::json requests();
  /// Logged requests with this method whose target contains `fragment`.
  [[nodiscard]] int count_requests(const std::string& method, const std::string& fragment);

 private:
  nlohmann::json control(const std::string& method, const std::string& path);
  [[nodiscard]] std::map<std::string, std::string> service_settings() const;

  std::string directory_;
  std::string key_path_, token_path_;
  oci_emulator::Emulator emulator_;
  std::unique_ptr<oci_emulator::HttpServer> server_;
  std::string base_url_;
};

/// The test CA the emulator's server certificate is issued by.
std::string test_ca_file();

}  // namespace example_test
