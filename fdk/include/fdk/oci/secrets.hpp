// fdk::oci::SecretsClient — read a Vault secret's content.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "fdk/export.hpp"
#include "fdk/oci/client.hpp"

namespace fdk::oci {

/// Which version of a secret to read; all empty means the CURRENT one.
struct FDK_API SecretVersionSelector {
  std::optional<std::string> stage;  ///< CURRENT, PENDING, LATEST, PREVIOUS or DEPRECATED
  std::optional<std::int64_t> version_number;
  std::optional<std::string> version_name;
};

/// A secret bundle with its content already base64-decoded.
struct FDK_API SecretBundle {
  std::string secret_id;
  std::int64_t version_number = 0;
  std::string version_name;
  std::vector<std::string> stages;
  std::string content;  ///< the decoded bytes (the secret itself: never log it)
  nlohmann::json raw;   ///< the JSON as received, content included

  /// Maps OCI's SecretBundle JSON text and decodes `secretBundleContent.content`; throws
  /// std::invalid_argument when the content is missing, not BASE64, or not valid base64.
  /// Throws std::invalid_argument when `json_text` is not JSON.
  [[nodiscard]] static SecretBundle from_json_text(std::string_view json_text);
  /// The same from a parsed document (inline, so no exported symbol names an nlohmann type).
  [[nodiscard]] FDK_HIDDEN_INLINE static SecretBundle from_json(const nlohmann::json& json) {
    return from_json_text(json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
};

/// Secrets (Vault) calls. Cheap to construct; shares the Client's connections.
///
/// @code
///   fdk::oci::SecretsClient secrets(client);
///   std::string ocid = secrets.get_secret_bundle(ctx.config().get("SECRET_OCID"), {}, ctx).content;
/// @endcode
class FDK_API SecretsClient {
 public:
  /// `endpoint` empty: service_endpoint(Service::secrets, the credentials' region).
  explicit SecretsClient(std::shared_ptr<Client> client, std::string endpoint = {});

  /// `GET /secretbundles/{secretId}` with optional `stage`, `versionNumber`, `secretVersionName`.
  [[nodiscard]] SecretBundle get_secret_bundle(std::string_view secret_id, const SecretVersionSelector& version = {},
                                               const CallOptions& options = {});

  [[nodiscard]] const std::string& endpoint() const noexcept { return endpoint_; }

 private:
  std::shared_ptr<Client> client_;
  std::string endpoint_;
};

}  // namespace fdk::oci
