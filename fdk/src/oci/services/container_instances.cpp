#include "fdk/oci/container_instances.hpp"

#include <stdexcept>

#include "fdk/oci/endpoints.hpp"
#include "oci/services/json_fields.hpp"

namespace fdk::oci {

ContainerInstance ContainerInstance::from_json_text(std::string_view json_text) {
  auto json = nlohmann::json::parse(json_text, nullptr, false);
  if (json.is_discarded()) throw std::invalid_argument("the ContainerInstance text is not valid JSON");
  return detail::container_instance_from_json(json);
}

ContainerInstance detail::container_instance_from_json(const nlohmann::json& json) {
  ContainerInstance instance;
  instance.id = detail::string_field(json, "id");
  instance.display_name = detail::string_field(json, "displayName");
  instance.compartment_id = detail::string_field(json, "compartmentId");
  instance.availability_domain = detail::string_field(json, "availabilityDomain");
  instance.lifecycle_state = detail::string_field(json, "lifecycleState");
  instance.lifecycle_details = detail::string_field(json, "lifecycleDetails");
  instance.raw = json;
  return instance;
}

ContainerInstancesClient::ContainerInstancesClient(std::shared_ptr<Client> client, std::string endpoint)
    : client_(detail::require_client(std::move(client), "ContainerInstancesClient")),
      endpoint_(endpoint.empty() ? service_endpoint(Service::container_instances, client_->auth().region(), client_->config())
                                 : std::move(endpoint)) {}

ContainerInstance ContainerInstancesClient::get(std::string_view container_instance_id, const CallOptions& options) {
  ServiceRequest request;
  request.endpoint = endpoint_;
  request.path = "/containerInstances/" + encode_path_segment(detail::require_id(container_instance_id, "container instance"));
  return detail::container_instance_from_json(detail::object_body(client_->call(request, options)));
}

WorkRequestReceipt ContainerInstancesClient::start(std::string_view container_instance_id, const CallOptions& options) {
  return action(container_instance_id, "start", options);
}

WorkRequestReceipt ContainerInstancesClient::stop(std::string_view container_instance_id, const CallOptions& options) {
  return action(container_instance_id, "stop", options);
}

WorkRequestReceipt ContainerInstancesClient::action(std::string_view container_instance_id, const char* verb,
                                                    const CallOptions& options) {
  ServiceRequest request;
  request.method = "POST";
  request.endpoint = endpoint_;
  request.path = "/containerInstances/" +
                 encode_path_segment(detail::require_id(container_instance_id, "container instance")) + "/actions/" + verb;
  request.retry_token = true;
  const ServiceResponse response = client_->call(request, options);
  return WorkRequestReceipt{response.headers.get_or("opc-work-request-id", ""), response.opc_request_id()};
}

}  // namespace fdk::oci
