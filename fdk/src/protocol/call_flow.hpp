// The Fn adapter's entry: an agent request -> a call ready for the core, or the answer to a
// request the handler must not see. The libuv server and fdk::testing both use it; running
// the handler and the deadline are the call core's (core/call_core.hpp). No I/O.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
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

/// Gives `call` an unset cancel flag. A call whose Context served an earlier call (the server
/// reuses a connection's ticket) keeps that call's flag, reset, when nothing but the call and its
/// Context holds it; otherwise (a handler kept a copy of its Context) it gets a new one.
void arm_cancel_flag(PreparedCall& call);

/// Checks a parsed request (method, path, body size) and maps it into `call`, a
/// default-constructed PreparedCall where the call stays: the libuv server builds it inside
/// the ticket that carries it to the handler's thread, because a Context is some forty members
/// and each move of one shows on every call's path. A request that must not reach the handler
/// gets its Outcome instead (and `call` is not to be used).
[[nodiscard]] std::optional<Outcome> accept_request(RawRequest&& request, const FunctionEnvironment& env,
                                                    const ParserLimits& limits, SystemTime now, PreparedCall& call);

/// The same, for callers that want the call as a value (fdk::testing, tests).
[[nodiscard]] std::variant<Outcome, PreparedCall> accept_request(RawRequest&& request, const FunctionEnvironment& env,
                                                                 const ParserLimits& limits, SystemTime now);

/// Runs `accept_into(PreparedCall&) -> std::optional<Outcome>` on a call built inside the
/// returned variant, which holds the Outcome instead when the request is refused.
template <typename AcceptInto>
[[nodiscard]] std::variant<Outcome, PreparedCall> accepted_value(AcceptInto&& accept_into) {
  std::variant<Outcome, PreparedCall> accepted(std::in_place_type<PreparedCall>);
  if (std::optional<Outcome> refused = accept_into(std::get<PreparedCall>(accepted))) accepted = std::move(*refused);
  return accepted;
}

/// The answer to bytes that are not a usable HTTP request (the connection is closed after it).
[[nodiscard]] Outcome malformed_request_outcome(const std::string& problem);

}  // namespace fdk::protocol
