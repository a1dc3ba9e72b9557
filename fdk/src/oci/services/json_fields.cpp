#include "oci/services/json_fields.hpp"

#include <stdexcept>

namespace fdk::oci::detail {

std::string string_field(const nlohmann::json& json, const char* name) {
  if (!json.is_object()) return {};
  const auto found = json.find(name);
  return found != json.end() && found->is_string() ? found->get<std::string>() : std::string();
}

nlohmann::json object_body(const ServiceResponse& response) {
  nlohmann::json body = response.json();
  if (!body.is_object()) {
    throw NetworkError("expected a JSON object from the service, got " + std::string(body.type_name()) +
                           " (opc-request-id " + response.opc_request_id() + ")",
                       false);
  }
  return body;
}

std::string_view require_id(std::string_view id, const char* kind) {
  if (id.empty()) throw std::invalid_argument(std::string("the ") + kind + " OCID is empty; pass the resource's OCID");
  return id;
}

std::shared_ptr<Client> require_client(std::shared_ptr<Client> client, const char* who) {
  if (!client) throw std::invalid_argument(std::string(who) + " needs a fdk::oci::Client, got a null pointer");
  return client;
}

}  // namespace fdk::oci::detail
