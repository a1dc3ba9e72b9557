// fdk::oci::make_auth_provider — one call that picks the right credentials for where code runs.
#pragma once

#include <memory>
#include <string>

#include "fdk/config.hpp"
#include "fdk/export.hpp"
#include "fdk/oci/auth.hpp"
#include "fdk/oci/clock.hpp"
#include "fdk/oci/transport.hpp"

namespace fdk::oci {

/// Which credentials to use.
enum class AuthKind {
  automatic,           ///< decide from the environment (see make_auth_provider)
  resource_principal,  ///< OCI Functions: OCI_RESOURCE_PRINCIPAL_* variables
  api_key,             ///< a profile of an OCI config file
  instance_principal,  ///< the compute instance's identity (metadata service + federation)
};

struct FDK_API AuthOptions {
  AuthKind kind = AuthKind::automatic;
  std::string config_file;  ///< API key: config file path (setting it selects api_key in automatic mode)
  std::string profile;      ///< API key: profile name (setting it selects api_key in automatic mode)
  HttpTransport transport;  ///< instance principal: how to reach the metadata and auth services (default: fdk-oci's client)
  Clock clock;              ///< tests: the wall clock used for expiry checks
};

/// The kind automatic selection picks for `environment`:
/// 1. `OCI_RESOURCE_PRINCIPAL_VERSION` is set → resource_principal;
/// 2. a config file or profile is given explicitly (`options.config_file`, `options.profile`,
///    `OCI_CONFIG_FILE` or `OCI_CONFIG_PROFILE`) → api_key;
/// 3. otherwise → instance_principal.
/// An explicit `options.kind` is returned unchanged.
[[nodiscard]] FDK_API AuthKind choose_auth_kind(const Config& environment, const AuthOptions& options = {});

/// Builds the provider `choose_auth_kind` picks. Cheap: no file is read and no request is sent
/// until the first sign (an API key's config file excepted). Throws CredentialsError naming the
/// variable or file at fault. Instance principal uses `options.transport`, or fdk-oci's own
/// HTTPS client when none is given.
///
/// @code
///   auto auth = fdk::oci::make_auth_provider(ctx.config());
///   fdk::oci::SignableRequest req{"GET", host, path, {}, ""};
///   auth->sign(req);
/// @endcode
[[nodiscard]] FDK_API std::unique_ptr<AuthProvider> make_auth_provider(const Config& environment,
                                                                       AuthOptions options = {});

}  // namespace fdk::oci
