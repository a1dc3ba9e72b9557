// An in-process OCI emulator on a loopback port chosen by the OS, trusted credentials for it,
// and clients that talk to it: what every end-to-end test starts from.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator.hpp"
#include "fdk/oci/client.hpp"
#include "fdk/oci/resource_principal.hpp"
#include "http_server.hpp"
#include "test_support.hpp"

namespace oci_e2e {

inline constexpr const char* kStoppedInstance = "ocid1.instance.oc1.iad.stopped";
inline constexpr const char* kRunningInstance = "ocid1.instance.oc1.iad.running";
inline constexpr const char* kTerminatedInstance = "ocid1.instance.oc1.iad.terminated";
inline constexpr const char* kInactiveContainer = "ocid1.computecontainerinstance.oc1.iad.inactive";
inline constexpr const char* kSecret = "ocid1.vaultsecret.oc1.iad.secret";

class EmulatorFixture {
 public:
  /// Starts the emulator (HTTPS with the build's test CA unless `plain`) trusting test_key().
  explicit EmulatorFixture(bool plain = false, std::chrono::milliseconds transition_delay = std::chrono::milliseconds(150));
  ~EmulatorFixture();

  /// `https://127.0.0.1:<port>` (or http://).
  [[nodiscard]] const std::string& base_url() const { return base_url_; }
  [[nodiscard]] oci_emulator::Emulator& emulator() { return emulator_; }
  [[nodiscard]] oci_test::ScratchDir& scratch() { return scratch_; }

  /// A real resource principal provider reading token and key from files in scratch();
  /// `private_key_pem` is what the key file holds at first.
  std::shared_ptr<fdk::oci::ResourcePrincipalProvider> resource_principal(const std::string& private_key_pem);
  /// Replaces the key file's content (key rotation).
  void rotate_key_file(const std::string& private_key_pem);

  /// A client trusting the test CA whose retries do not really sleep: pauses are recorded in sleeps.
  /// Its settings (endpoint overrides, proxies) come from `config`, never the environment.
  std::shared_ptr<fdk::oci::Client> client(std::shared_ptr<fdk::oci::AuthProvider> auth, fdk::Config config = {});
  std::vector<std::chrono::milliseconds> sleeps;

  /// The emulator's request log (GET /_emulator/requests), oldest first.
  nlohmann::json requests();
  /// Sends one control request to the emulator; returns the status.
  int control(const std::string& method, const std::string& path, const std::string& body = {});

 private:
  oci_test::ScratchDir scratch_;
  oci_emulator::Emulator emulator_;
  std::unique_ptr<oci_emulator::HttpServer> server_;
  std::string base_url_;
  std::string key_file_;
};

}  // namespace oci_e2e
