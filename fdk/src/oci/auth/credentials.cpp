#include "fdk/oci/credentials.hpp"
#include "fdk/oci/http_transport.hpp"

#include "fdk/oci/api_key.hpp"
#include "fdk/oci/errors.hpp"
#include "fdk/oci/instance_principal.hpp"
#include "fdk/oci/resource_principal.hpp"
#include "oci/auth/inline_or_file.hpp"

namespace fdk::oci {
namespace {

bool is_set(const Config& environment, std::string_view variable) {
  const auto value = environment.get(variable);
  return value && !detail::trim(*value).empty();
}

}  // namespace

AuthKind choose_auth_kind(const Config& environment, const AuthOptions& options) {
  if (options.kind != AuthKind::automatic) return options.kind;
  if (is_set(environment, "OCI_RESOURCE_PRINCIPAL_VERSION")) return AuthKind::resource_principal;
  if (!options.config_file.empty() || !options.profile.empty() || is_set(environment, "OCI_CONFIG_FILE") ||
      is_set(environment, "OCI_CONFIG_PROFILE")) {
    return AuthKind::api_key;
  }
  return AuthKind::instance_principal;
}

std::unique_ptr<AuthProvider> make_auth_provider(const Config& environment, AuthOptions options) {
  switch (choose_auth_kind(environment, options)) {
    case AuthKind::resource_principal:
      return std::make_unique<ResourcePrincipalProvider>(environment, std::move(options.clock));
    case AuthKind::api_key:
      return std::make_unique<ApiKeyProvider>(environment, std::move(options.config_file), std::move(options.profile));
    case AuthKind::instance_principal:
    case AuthKind::automatic:
      break;
  }
  // Off OCI Functions, with nothing configured, the instance's own identity is the last resort;
  // it needs HTTP to the metadata and auth services, which fdk-oci's client provides.
  if (!options.transport) options.transport = make_http_transport();
  return std::make_unique<InstancePrincipalProvider>(environment, std::move(options.transport),
                                                     std::move(options.clock));
}

}  // namespace fdk::oci
