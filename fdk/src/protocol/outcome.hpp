// The Fn rendering of a core::CallResult: the agent's status (200, 502 or 504) and the
// wire response with Fn-Http-Status / Fn-Http-H-* for the gateway caller. No I/O.
#pragma once

#include <string>

#include "core/call_result.hpp"
#include "fdk/response.hpp"

namespace fdk::protocol {

/// How a call ended, towards the agent: 200, 502 or 504, plus what the caller sees.
struct Outcome {
  int agent_status = 200;
  Response response;
  /// A structured (JSON) line for stderr explaining a failure, or empty.
  std::string log_line;
  /// The answer to a HEAD request: headers only, no body and no Content-Length.
  bool omit_body = false;
};

/// The agent status for a kind of result. 200 means "here is the caller's answer" (the
/// handler's response, its HttpError, or the 413 for a body over the limit); 502 means the
/// function failed or refused the call; 504 that the deadline passed.
[[nodiscard]] int agent_status_of(core::ResultKind kind) noexcept;

/// Renders a CallResult for the agent.
[[nodiscard]] Outcome to_outcome(core::CallResult result, bool omit_body = false);

/// Serialises an Outcome as the HTTP/1.1 response the agent reads: for agent status 200 the
/// caller's status goes in Fn-Http-Status and each of its headers as Fn-Http-H-<Name>
/// (Content-Type raw); failures carry only their JSON body.
[[nodiscard]] std::string encode_outcome(const Outcome& outcome, bool close_connection);

/// The head of encode_outcome's response (status line, headers, empty line). The body that
/// follows it is `outcome.response.body()` unless `outcome.omit_body`: a server sends the two
/// as they are, so a large body is never copied next to its head.
[[nodiscard]] std::string encode_outcome_head(const Outcome& outcome, bool close_connection);

}  // namespace fdk::protocol
