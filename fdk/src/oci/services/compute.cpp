#include "fdk/oci/compute.hpp"

#include <stdexcept>

#include "fdk/oci/endpoints.hpp"
#include "oci/services/json_fields.hpp"

namespace fdk::oci {

Instance Instance::from_json_text(std::string_view json_text) {
  auto json = nlohmann::json::parse(json_text, nullptr, false);
  if (json.is_discarded()) throw std::invalid_argument("the Instance text is not valid JSON");
  return detail::instance_from_json(json);
}

Instance detail::instance_from_json(const nlohmann::json& json) {
  Instance instance;
  instance.id = detail::string_field(json, "id");
  instance.display_name = detail::string_field(json, "displayName");
  instance.compartment_id = detail::string_field(json, "compartmentId");
  instance.availability_domain = detail::string_field(json, "availabilityDomain");
  instance.shape = detail::string_field(json, "shape");
  instance.lifecycle_state = detail::string_field(json, "lifecycleState");
  instance.time_created = detail::string_field(json, "timeCreated");
  instance.raw = json;
  return instance;
}

const char* to_string(InstanceAction action) noexcept {
  switch (action) {
    case InstanceAction::start:
      return "START";
    case InstanceAction::stop:
      return "STOP";
    case InstanceAction::softstop:
      return "SOFTSTOP";
    case InstanceAction::reset:
      return "RESET";
    case InstanceAction::softreset:
      return "SOFTRESET";
  }
  return "START";
}

ComputeClient::ComputeClient(std::shared_ptr<Client> client, std::string endpoint)
    : client_(detail::require_client(std::move(client), "ComputeClient")),
      endpoint_(endpoint.empty() ? service_endpoint(Service::compute, client_->auth().region(), client_->config()) : std::move(endpoint)) {}

Instance ComputeClient::get_instance(std::string_view instance_id, const CallOptions& options) {
  ServiceRequest request;
  request.endpoint = endpoint_;
  request.path = "/instances/" + encode_path_segment(detail::require_id(instance_id, "instance"));
  return detail::instance_from_json(detail::object_body(client_->call(request, options)));
}

Instance ComputeClient::instance_action(std::string_view instance_id, InstanceAction action, const CallOptions& options) {
  ServiceRequest request;
  request.method = "POST";
  request.endpoint = endpoint_;
  request.path = "/instances/" + encode_path_segment(detail::require_id(instance_id, "instance"));
  request.query = {{"action", to_string(action)}};
  request.retry_token = true;
  return detail::instance_from_json(detail::object_body(client_->call(request, options)));
}

}  // namespace fdk::oci
