// fdk::oci::ContainerInstancesClient — get, start and stop a Container Instance.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fdk/export.hpp"
#include "fdk/oci/client.hpp"

namespace fdk::oci {

/// A Container Instance: the fields functions use, and the whole JSON in `raw`.
struct FDK_API ContainerInstance {
  std::string id;
  std::string display_name;
  std::string compartment_id;
  std::string availability_domain;
  /// CREATING, UPDATING, ACTIVE, INACTIVE, DELETING, DELETED, FAILED.
  std::string lifecycle_state;
  std::string lifecycle_details;
  nlohmann::json raw;

  /// Maps OCI's ContainerInstance JSON text; absent fields stay empty.
  /// Throws std::invalid_argument when `json_text` is not JSON.
  [[nodiscard]] static ContainerInstance from_json_text(std::string_view json_text);
  /// The same from a parsed document (inline, so no exported symbol names an nlohmann type).
  [[nodiscard]] FDK_HIDDEN_INLINE static ContainerInstance from_json(const nlohmann::json& json) {
    return from_json_text(json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
};

/// What the service returns when it accepts a start or stop (202, no body).
struct FDK_API WorkRequestReceipt {
  std::string work_request_id;  ///< `opc-work-request-id`
  std::string opc_request_id;
};

/// Container Instances calls. Cheap to construct; shares the Client's connections.
///
/// @code
///   fdk::oci::ContainerInstancesClient containers(client);
///   if (containers.get(id, ctx).lifecycle_state == "INACTIVE") containers.start(id, ctx);
/// @endcode
class FDK_API ContainerInstancesClient {
 public:
  /// `endpoint` empty: service_endpoint(Service::container_instances, the credentials' region).
  explicit ContainerInstancesClient(std::shared_ptr<Client> client, std::string endpoint = {});

  /// `GET /containerInstances/{id}`.
  [[nodiscard]] ContainerInstance get(std::string_view container_instance_id, const CallOptions& options = {});
  /// `POST /containerInstances/{id}/actions/start` with an `opc-retry-token`.
  WorkRequestReceipt start(std::string_view container_instance_id, const CallOptions& options = {});
  /// `POST /containerInstances/{id}/actions/stop` with an `opc-retry-token`.
  WorkRequestReceipt stop(std::string_view container_instance_id, const CallOptions& options = {});

  [[nodiscard]] const std::string& endpoint() const noexcept { return endpoint_; }

 private:
  WorkRequestReceipt action(std::string_view container_instance_id, const char* verb, const CallOptions& options);

  std::shared_ptr<Client> client_;
  std::string endpoint_;
};

}  // namespace fdk::oci
