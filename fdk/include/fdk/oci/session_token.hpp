// fdk::oci::SessionTokenClaims — what a security token (resource or instance principal) says.
#pragma once

#include <chrono>
#include <string>

#include "fdk/export.hpp"

namespace fdk::oci {

/// Claims read from a session token's JWT payload. The token's signature is not checked
/// (OCI checks it; the OCI SDKs do not either).
struct FDK_API SessionTokenClaims {
  std::string tenant_id;       ///< `res_tenant`: the tenancy OCID (empty when absent)
  std::string compartment_id;  ///< `res_compartment`: the resource's compartment OCID (empty when absent)
  std::chrono::system_clock::time_point expires_at;  ///< `exp`
};

}  // namespace fdk::oci
