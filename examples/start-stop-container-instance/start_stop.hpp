// The start-stop-container-instance function: starts, stops or toggles an OCI Container
// Instance whose OCID is kept in a Vault secret, then waits until it gets there.
//
// Body {"action": "start" | "stop" | "toggle"}; no body means "toggle". Function config:
//   SECRET_OCID            the Vault secret holding the Container Instance OCID (required)
//   POLL_INTERVAL_SECONDS  seconds between two reads of the state (default 15; "0.5" allowed)
//   MAX_WAIT_SECONDS       how long to wait for the target state (default 240)
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include <fdk/fdk.hpp>
#include <fdk/oci/auth.hpp>
#include <fdk/oci/client.hpp>
#include <fdk/oci/function_client.hpp>
#include <fdk/oci/waiter.hpp>

namespace start_stop {

/// Gives the OCI client to use for a call, from the function's configuration.
using ClientSource = std::function<std::shared_ptr<fdk::oci::Client>(const fdk::Config& config)>;

// The credentials (resource principal on OCI Functions, instance principal otherwise), one
// client per process, and the time kept to answer after polling gives up (1 s): fdk-oci's helpers.
using fdk::oci::function_credentials;
using fdk::oci::kAnswerMargin;
using fdk::oci::shared_client;

/// The handler. `clients` supplies the OCI client (tests pass one trusting the emulator's CA).
/// Every answer is 200 towards the agent; the gateway statuses and bodies are the original's
/// (README.md has the table): 200 with a "message" for every outcome, 400 {"error": ...} for
/// an invalid action or body, 500 {"error": ...} for anything unexpected.
[[nodiscard]] fdk::Handler handler(ClientSource clients = shared_client);

}  // namespace start_stop
