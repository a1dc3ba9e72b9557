// An HTTP host's request -> the handler's call: call id, deadline, gateway view, tracing,
// CloudEvent. No I/O. Knative, Cloud Run and OpenFaaS of-watchdog (http mode) all send the
// caller's own request, so every request is a call, whatever its method and path.
#pragma once

#include <chrono>
#include <optional>
#include <variant>

#include "httphost/host_environment.hpp"
#include "protocol/call_flow.hpp"

namespace fdk::httphost {

/// How long the call may take: `X-Timeout` (capped by the of-watchdog's exec_timeout), else
/// the of-watchdog's exec_timeout, else FDK_TIMEOUT, else nothing (no deadline).
[[nodiscard]] std::optional<std::chrono::milliseconds> call_timeout(const Headers& headers,
                                                                    const HostEnvironment& host);

/// Maps a parsed request into `call` (in place, as protocol::accept_request does); a body over
/// the limit gets its 413 Outcome instead. `env.function.memory_mb` is the container's limit
/// (the transport reads its cgroup at start).
[[nodiscard]] std::optional<protocol::Outcome> accept_http_request(protocol::RawRequest&& request,
                                                                   const HostEnvironment& host,
                                                                   const protocol::FunctionEnvironment& env,
                                                                   const protocol::ParserLimits& limits,
                                                                   protocol::SystemTime now,
                                                                   protocol::PreparedCall& call);

/// The same, for callers that want the call as a value (fdk::testing, tests).
[[nodiscard]] std::variant<protocol::Outcome, protocol::PreparedCall> accept_http_request(
    protocol::RawRequest&& request, const HostEnvironment& host, const protocol::FunctionEnvironment& env,
    const protocol::ParserLimits& limits, protocol::SystemTime now);

}  // namespace fdk::httphost
