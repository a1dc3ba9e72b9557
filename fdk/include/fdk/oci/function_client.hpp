// fdk::oci::shared_client — the OCI client a function uses, built once per process from the
// function's configuration.
#pragma once

#include <memory>

#include "fdk/config.hpp"
#include "fdk/export.hpp"
#include "fdk/oci/auth.hpp"
#include "fdk/oci/client.hpp"

namespace fdk::oci {

/// The credentials a function uses: resource principal when `OCI_RESOURCE_PRINCIPAL_VERSION` is
/// "2.2" (OCI Functions sets it), instance principal otherwise, whose HTTP goes through fdk-oci's
/// client with `config`'s proxy and `OCI_CA_BUNDLE` settings. Throws CredentialsError.
[[nodiscard]] FDK_API std::shared_ptr<AuthProvider> function_credentials(const Config& config);

/// A client with function_credentials(config), reading its settings (endpoint overrides, proxies,
/// `OCI_CA_BUNDLE`) from `config`; `options` for the rest. `options.config`, when set, wins.
[[nodiscard]] FDK_API std::shared_ptr<Client> make_function_client(const Config& config, ClientOptions options = {});

/// One client per process, made by make_function_client(config) on the first call, so
/// connections and tokens are reused across calls; later calls return it whatever `config` they
/// pass (a function's configuration does not change while it runs). Thread-safe.
///
/// @code
///   fdk::Response handle(fdk::Context& ctx, std::string_view body) {
///     fdk::oci::ComputeClient compute(fdk::oci::shared_client(ctx.config()));
///     return fdk::Response::text(compute.get_instance(std::string(body), ctx).lifecycle_state);
///   }
/// @endcode
[[nodiscard]] FDK_API std::shared_ptr<Client> shared_client(const Config& config);

}  // namespace fdk::oci
