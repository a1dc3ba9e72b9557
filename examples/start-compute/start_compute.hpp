// The start-compute function: starts an OCI Compute instance and waits until it is RUNNING.
//
// Body {"instance_id": "<instance OCID>"}. Function config:
//   POLL_INTERVAL_SECONDS  seconds between two reads of the instance (default 10; "0.5" allowed)
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include <fdk/fdk.hpp>
#include <fdk/oci/auth.hpp>
#include <fdk/oci/client.hpp>

namespace start_compute {

/// Gives the OCI client to use for a call, from the function's configuration.
using ClientSource = std::function<std::shared_ptr<fdk::oci::Client>(const fdk::Config& config)>;

/// The credentials the original Python function used: resource principal when
/// OCI_RESOURCE_PRINCIPAL_VERSION is "2.2" (what OCI Functions sets), instance principal otherwise.
[[nodiscard]] std::shared_ptr<fdk::oci::AuthProvider> function_credentials(const fdk::Config& config);

/// One client per process, built from function_credentials on the first call, so connections
/// and tokens are reused across calls.
[[nodiscard]] std::shared_ptr<fdk::oci::Client> shared_client(const fdk::Config& config);

/// How long before the call's deadline polling gives up, leaving time to answer.
inline constexpr std::chrono::milliseconds kAnswerMargin{1000};

/// The handler. `clients` supplies the OCI client (tests pass one trusting the emulator's CA).
///
/// Answers: 200 {"message": "launch instance <ocid> is successfull"} once the instance is
/// RUNNING (at once when it already is); 400 for a missing or invalid body or instance_id;
/// 409 when the instance is TERMINATING or TERMINATED; 504 when it is not RUNNING shortly
/// before the function's deadline; 500 for an unusable POLL_INTERVAL_SECONDS. An OCI call
/// that fails (after the SDK retries) fails the call: 502 from the FDK, as the original did.
[[nodiscard]] fdk::Handler handler(ClientSource clients = shared_client);

}  // namespace start_compute
