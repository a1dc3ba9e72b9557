#include "fdk/oci/endpoints.hpp"

#include <stdexcept>

#include "fdk/oci/regions.hpp"

namespace fdk::oci {
namespace {

struct ServiceLayout {
  const char* host_prefix;   // before the region
  const char* host_infix;    // between region and realm domain
  const char* api_version;   // the path every call starts with
  const char* override_variable;
};

ServiceLayout layout_of(Service service) {
  switch (service) {
    case Service::compute:
      return {"iaas.", ".", "/20160918", "OCI_COMPUTE_ENDPOINT"};
    case Service::container_instances:
      return {"compute-containers.", ".oci.", "/20210415", "OCI_CONTAINER_INSTANCES_ENDPOINT"};
    case Service::secrets:
      return {"secrets.vaults.", ".oci.", "/20190301", "OCI_SECRETS_ENDPOINT"};
  }
  return {"", "", "", ""};
}

}  // namespace

const char* endpoint_override_variable(Service service) { return layout_of(service).override_variable; }

std::string default_service_endpoint(Service service, std::string_view region) {
  const ServiceLayout layout = layout_of(service);
  // The region becomes part of a host name: nothing else may slip into the URL through it.
  if (!is_valid_region(canonical_region(region))) {
    throw std::invalid_argument("'" + std::string(region) + "' is not a region name, so no " + layout.host_prefix +
                                "... endpoint can be made from it");
  }
  return std::string("https://") + layout.host_prefix + canonical_region(region) + layout.host_infix +
         realm_domain_for_region(region) + layout.api_version;
}

std::string service_endpoint(Service service, std::string_view region) {
  return service_endpoint(service, region, fdk::Config::from_environment());
}

std::string service_endpoint(Service service, std::string_view region, const fdk::Config& config) {
  const ServiceLayout layout = layout_of(service);
  std::string base = config.get_or(layout.override_variable, "");
  if (base.empty()) return default_service_endpoint(service, region);
  while (!base.empty() && base.back() == '/') base.pop_back();
  // A base URL that already ends with the API version is taken as it is.
  const std::string version(layout.api_version);
  if (base.size() >= version.size() && base.compare(base.size() - version.size(), version.size(), version) == 0) {
    return base;
  }
  return base + version;
}

}  // namespace fdk::oci
