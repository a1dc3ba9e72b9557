// The emulated OCI services: Compute instances, Container Instances and Vault secret bundles,
// behind signature checks, with timed lifecycle transitions, injectable faults and a control API.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "canned_routes.hpp"
#include "fault_plan.hpp"
#include "http_server.hpp"
#include "instance_identity.hpp"
#include "lifecycle.hpp"
#include "signature_check.hpp"

namespace oci_emulator {

struct EmulatorSettings {
  /// How long STARTING, STOPPING and UPDATING last.
  std::chrono::milliseconds transition_delay{2000};
  /// Allowed difference between a request's date and the emulator's clock.
  std::chrono::seconds max_clock_skew{300};
};

class Emulator {
 public:
  explicit Emulator(EmulatorSettings settings = {});

  /// Adds what `document` describes (the state file format, see README.md): trusted_public_keys,
  /// instances, container_instances, secrets, faults, routes, transition_delay_ms, instance_identity,
  /// session_token_lifetime_seconds. Throws
  /// std::invalid_argument naming the bad entry.
  void load(const nlohmann::json& document);
  void add_fault(Fault fault);

  /// Answers one request (the HttpServer handler). Thread-safe.
  Reply handle(const Request& request);

  /// Wakes requests sleeping in an injected delay so the server can stop quickly.
  void shutdown();

 private:
  struct Resource {
    nlohmann::json document;  // as configured; lifecycleState is overlaid from `lifecycle`
    Lifecycle lifecycle;
  };
  struct SecretVersion {
    std::int64_t number = 1;
    std::string name;
    std::vector<std::string> stages;
    std::string content_base64;
  };

  Reply handle_control(const Request& request);
  Reply handle_service(const Request& request);
  Reply compute(const Request& request, const std::string& rest);
  Reply container_instances(const Request& request, const std::string& rest);
  Reply secrets(const Request& request, const std::string& rest);
  Reply federation(const Request& request);
  nlohmann::json current(Resource& resource);
  nlohmann::json state_json();
  void load_resources(const nlohmann::json& list, const char* what, std::map<std::string, Resource>& into);
  void load_secret(const nlohmann::json& entry);
  void log(const Request& request, int status, const std::string& note);
  bool sleep_unless_shutdown(std::chrono::milliseconds delay);

  EmulatorSettings settings_;
  SignatureCheck signatures_;
  FaultPlan faults_;
  CannedRoutes routes_;
  std::map<std::string, Resource> instances_, container_instances_;
  std::map<std::string, std::vector<SecretVersion>> secrets_;
  std::optional<InstanceIdentity> identity_;
  std::chrono::seconds session_token_lifetime_{3600};
  std::deque<nlohmann::json> log_;
  std::atomic<std::uint64_t> served_{0};
  bool shutting_down_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
};

}  // namespace oci_emulator
