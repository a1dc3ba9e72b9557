#include "fdk/oci/secrets.hpp"

#include <stdexcept>

#include "fdk/oci/endpoints.hpp"
#include "encoding/base64.hpp"
#include "oci/services/json_fields.hpp"

namespace fdk::oci {
namespace {

std::string decoded_content(const nlohmann::json& json) {
  const auto content = json.find("secretBundleContent");
  if (content == json.end() || !content->is_object()) {
    throw std::invalid_argument("the secret bundle has no secretBundleContent object");
  }
  const std::string type = detail::string_field(*content, "contentType");
  if (type != "BASE64") {
    throw std::invalid_argument("the secret bundle content type is '" + type + "', expected BASE64");
  }
  auto bytes = encoding::base64_decode(detail::string_field(*content, "content"));
  if (!bytes) throw std::invalid_argument("the secret bundle content is not valid base64");
  return std::move(*bytes);
}

}  // namespace

SecretBundle SecretBundle::from_json(const nlohmann::json& json) {
  SecretBundle bundle;
  bundle.secret_id = detail::string_field(json, "secretId");
  bundle.version_name = detail::string_field(json, "versionName");
  if (auto number = json.find("versionNumber"); number != json.end() && number->is_number_integer()) {
    bundle.version_number = number->get<std::int64_t>();
  }
  if (auto stages = json.find("stages"); stages != json.end() && stages->is_array()) {
    for (const auto& stage : *stages) {
      if (stage.is_string()) bundle.stages.push_back(stage.get<std::string>());
    }
  }
  bundle.content = decoded_content(json);
  bundle.raw = json;
  return bundle;
}

SecretsClient::SecretsClient(std::shared_ptr<Client> client, std::string endpoint)
    : client_(detail::require_client(std::move(client), "SecretsClient")),
      endpoint_(endpoint.empty() ? service_endpoint(Service::secrets, client_->auth().region(), client_->config()) : std::move(endpoint)) {}

SecretBundle SecretsClient::get_secret_bundle(std::string_view secret_id, const SecretVersionSelector& version,
                                              const CallOptions& options) {
  ServiceRequest request;
  request.endpoint = endpoint_;
  request.path = "/secretbundles/" + encode_path_segment(detail::require_id(secret_id, "secret"));
  if (version.stage) request.query.emplace_back("stage", *version.stage);
  if (version.version_number) request.query.emplace_back("versionNumber", std::to_string(*version.version_number));
  if (version.version_name) request.query.emplace_back("secretVersionName", *version.version_name);
  const ServiceResponse response = client_->call(request, options);
  try {
    return SecretBundle::from_json(detail::object_body(response));
  } catch (const std::invalid_argument& error) {
    throw NetworkError(std::string(error.what()) + " (opc-request-id " + response.opc_request_id() + ")", false);
  }
}

}  // namespace fdk::oci
