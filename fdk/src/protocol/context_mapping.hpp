// An Fn agent request -> core::Invocation (the Fn side of the call core). No I/O.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>

#include "core/invocation.hpp"
#include "protocol/deadline.hpp"
#include "protocol/function_environment.hpp"
#include "protocol/message_parser.hpp"

namespace fdk::protocol {

/// Fn's default call timeout, used when a request carries no usable Fn-Deadline.
inline constexpr std::chrono::seconds kDefaultCallTimeout{30};

/// Maps the agent's request onto an Invocation, taking over its headers and body (both are
/// left empty): Fn-Call-Id, Fn-Deadline less the margin (Fn's default timeout when missing or
/// unreadable), Content-Type, the gateway view for `Fn-Intent: httprequest`, B3 tracing.
[[nodiscard]] core::Invocation to_invocation(RawRequest& request, const FunctionEnvironment& env, SystemTime now);

/// The `\n<FN_LOGFRAME_NAME>=<value>\n` line to write before the handler runs, or empty
/// when log framing is off.
[[nodiscard]] std::string log_frame_line(const FunctionEnvironment& env, const Headers& request_headers);

}  // namespace fdk::protocol
