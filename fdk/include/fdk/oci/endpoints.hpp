// fdk::oci::service_endpoint — the base URL of an OCI service in a region, or its override.
#pragma once

#include <string>
#include <string_view>

#include "fdk/config.hpp"
#include "fdk/export.hpp"

namespace fdk::oci {

/// The services the typed clients call.
enum class Service {
  compute,              ///< `https://iaas.<region>.<domain>/20160918`, override `OCI_COMPUTE_ENDPOINT`
  container_instances,  ///< `https://compute-containers.<region>.oci.<domain>/20210415`, `OCI_CONTAINER_INSTANCES_ENDPOINT`
  secrets,              ///< `https://secrets.vaults.<region>.oci.<domain>/20190301`, `OCI_SECRETS_ENDPOINT`
};

/// The endpoint from the region and its realm's domain, ignoring overrides.
///
/// @code
///   fdk::oci::default_service_endpoint(fdk::oci::Service::compute, "fra");
///   // "https://iaas.eu-frankfurt-1.oraclecloud.com/20160918"
/// @endcode
[[nodiscard]] FDK_API std::string default_service_endpoint(Service service, std::string_view region);

/// The endpoint to call: the override setting's base URL in `config` (e.g. `https://127.0.0.1:8443`,
/// the API version path is appended) when set, otherwise default_service_endpoint. The typed
/// clients pass their Client's config().
[[nodiscard]] FDK_API std::string service_endpoint(Service service, std::string_view region, const fdk::Config& config);

/// The same with the override read from the process environment.
[[nodiscard]] FDK_API std::string service_endpoint(Service service, std::string_view region);

/// The name of the override variable of `service`, e.g. `OCI_COMPUTE_ENDPOINT`.
[[nodiscard]] FDK_API const char* endpoint_override_variable(Service service);

}  // namespace fdk::oci
