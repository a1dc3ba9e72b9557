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
#include <fdk/oci/function_client.hpp>
#include <fdk/oci/waiter.hpp>

namespace start_compute {

/// Gives the OCI client to use for a call, from the function's configuration.
using ClientSource = std::function<std::shared_ptr<fdk::oci::Client>(const fdk::Config& config)>;

// The credentials the original Python function used (resource principal on OCI Functions,
// instance principal otherwise), one client per process, and the time kept to answer after
// polling gives up (1 s): fdk-oci's helpers.
using fdk::oci::function_credentials;
using fdk::oci::kAnswerMargin;
using fdk::oci::shared_client;

/// The handler. `clients` supplies the OCI client (tests pass one trusting the emulator's CA).
///
/// Answers: 200 {"message": "launch instance <ocid> is successfull"} once the instance is
/// RUNNING (at once when it already is); 400 for a missing or invalid body or instance_id;
/// 409 when the instance is TERMINATING or TERMINATED; 504 when it is not RUNNING shortly
/// before the function's deadline; 500 for an unusable POLL_INTERVAL_SECONDS. An OCI call
/// that fails (after the SDK retries) fails the call: 502 from the FDK, as the original did.
[[nodiscard]] fdk::Handler handler(ClientSource clients = shared_client);

}  // namespace start_compute
