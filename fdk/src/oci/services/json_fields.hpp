// Small helpers the typed clients share for reading service JSON and checking arguments.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fdk/oci/client.hpp"
#include "fdk/oci/compute.hpp"
#include "fdk/oci/container_instances.hpp"
#include "fdk/oci/secrets.hpp"

namespace fdk::oci::detail {

/// The string member `name` of `json`, or empty when absent or not a string.
[[nodiscard]] std::string string_field(const nlohmann::json& json, const char* name);

/// The body of `response` as a JSON object; throws NetworkError when it is anything else.
[[nodiscard]] nlohmann::json object_body(const ServiceResponse& response);

/// The typed views of service JSON (the public from_json/from_json_text forward here).
[[nodiscard]] Instance instance_from_json(const nlohmann::json& json);
[[nodiscard]] ContainerInstance container_instance_from_json(const nlohmann::json& json);
/// Throws std::invalid_argument when the content is missing, not BASE64, or not valid base64.
[[nodiscard]] SecretBundle secret_bundle_from_json(const nlohmann::json& json);

/// Throws std::invalid_argument naming the `kind` of OCID when `id` is empty.
std::string_view require_id(std::string_view id, const char* kind);

/// Throws std::invalid_argument naming `who` when `client` is null.
std::shared_ptr<Client> require_client(std::shared_ptr<Client> client, const char* who);

}  // namespace fdk::oci::detail
