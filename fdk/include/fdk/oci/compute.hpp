// fdk::oci::ComputeClient — get a Compute instance and start, stop or reset it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fdk/export.hpp"
#include "fdk/oci/client.hpp"

namespace fdk::oci {

/// A Compute instance: the fields functions use, and the whole JSON in `raw`.
struct FDK_API Instance {
  std::string id;
  std::string display_name;
  std::string compartment_id;
  std::string availability_domain;
  std::string shape;
  /// MOVING, PROVISIONING, RUNNING, STARTING, STOPPING, STOPPED, CREATING_IMAGE, TERMINATING, TERMINATED.
  std::string lifecycle_state;
  std::string time_created;
  nlohmann::json raw;

  /// Maps OCI's Instance JSON text; absent fields stay empty.
  /// Throws std::invalid_argument when `json_text` is not JSON.
  [[nodiscard]] static Instance from_json_text(std::string_view json_text);
  /// The same from a parsed document (inline, so no exported symbol names an nlohmann type).
  [[nodiscard]] FDK_HIDDEN_INLINE static Instance from_json(const nlohmann::json& json) {
    return from_json_text(json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
};

/// The power actions of `POST /instances/{id}?action=...`.
enum class InstanceAction { start, stop, softstop, reset, softreset };

/// `START`, `STOP`, `SOFTSTOP`, `RESET`, `SOFTRESET`.
[[nodiscard]] FDK_API const char* to_string(InstanceAction action) noexcept;

/// Compute (`iaas`) calls. Cheap to construct; shares the Client's connections.
///
/// @code
///   fdk::oci::ComputeClient compute(client);
///   auto instance = compute.get_instance(id, ctx);
///   if (instance.lifecycle_state == "STOPPED") compute.instance_action(id, fdk::oci::InstanceAction::start, ctx);
/// @endcode
class FDK_API ComputeClient {
 public:
  /// `endpoint` empty: service_endpoint(Service::compute, the credentials' region).
  explicit ComputeClient(std::shared_ptr<Client> client, std::string endpoint = {});

  /// `GET /instances/{id}`.
  [[nodiscard]] Instance get_instance(std::string_view instance_id, const CallOptions& options = {});
  /// `POST /instances/{id}?action=...` with an `opc-retry-token`; returns the instance as the
  /// service reports it right after accepting the action.
  Instance instance_action(std::string_view instance_id, InstanceAction action, const CallOptions& options = {});

  [[nodiscard]] const std::string& endpoint() const noexcept { return endpoint_; }

 private:
  std::shared_ptr<Client> client_;
  std::string endpoint_;
};

}  // namespace fdk::oci
