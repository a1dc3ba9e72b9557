// The Fn adapter's entry: an agent request -> a call ready for the core, or the answer to a
// request the handler must not see. The libuv server and fdk::testing both use it; running
// the handler and the deadline are the call core's (core/call_core.hpp). No I/O.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <variant>

#include "fdk/context.hpp"
#include "protocol/deadline.hpp"
#include "protocol/function_environment.hpp"
#include "protocol/message_parser.hpp"
#include "protocol/outcome.hpp"

namespace fdk::protocol {

/// A request accepted for the handler.
struct PreparedCall {
  Context context;
  std::string body;
  std::shared_ptr<std::atomic<bool>> cancelled;
  /// Written to stdout and stderr before the handler runs (empty when framing is off).
  std::string log_frame;
};

/// Checks a parsed request (method, path, body size) and maps it to a call; a request that
/// must not reach the handler gets its Outcome right away.
[[nodiscard]] std::variant<Outcome, PreparedCall> accept_request(RawRequest&& request, const FunctionEnvironment& env,
                                                                 const ParserLimits& limits, SystemTime now);

/// The answer to bytes that are not a usable HTTP request (the connection is closed after it).
[[nodiscard]] Outcome malformed_request_outcome(const std::string& problem);

}  // namespace fdk::protocol
