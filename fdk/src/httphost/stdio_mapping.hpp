// A call under an OpenFaaS watchdog's fork-per-request modes (classic watchdog, of-watchdog
// serializing mode): the request arrives as `Http_*` environment variables and stdin. No I/O.
//
// The view is lossy, because the watchdog flattens headers into variable names: `Http_X_Call_Id`
// becomes `X-Call-Id` (Go's canonical name, `-` turned into `_` and back), only a header's first
// value survives, and a header whose name contains `_` comes back with `-`.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "fdk/config.hpp"
#include "protocol/call_flow.hpp"

namespace fdk::httphost {

/// Exit status of the one-shot stdio mode: the call succeeded (status below 400).
inline constexpr int kStdioExitOk = 0;
/// The handler failed, threw HttpError, returned a 4xx/5xx status, the body was too large or
/// the deadline passed: the watchdog answers 500 (it cannot carry another status).
inline constexpr int kStdioExitFailed = 1;

/// The process's exit status for a call that ended with `outcome` (its body goes to stdout).
[[nodiscard]] int stdio_exit_status(const protocol::Outcome& outcome);

/// The request headers rebuilt from `Http_<Name>` variables (not Http_Method, Http_Path,
/// Http_Query, Http_Host, Http_ContentLength, Http_Transfer_Encoding, which describe the
/// request line and framing).
[[nodiscard]] Headers headers_from_environment(const Config& config);

/// The call for `body`: gateway view from Http_Method/Path/Query/Host, call id from
/// X-Call-Id (else X-Request-Id, the trace id, or a new one), deadline `now + timeout - margin`,
/// memory `env.function.memory_mb` (the container's limit, read from its cgroup at start).
[[nodiscard]] protocol::PreparedCall stdio_call(const Config& config, const protocol::FunctionEnvironment& env,
                                                std::optional<std::chrono::milliseconds> timeout, std::string body,
                                                protocol::SystemTime now);

}  // namespace fdk::httphost
