// Encoding a call the way the Fn agent sends it: the agent side of the Fn protocol, for
// fdk::testing, fdk-invoke, tests and benchmarks (not part of libfdk). No I/O.
#pragma once

#include <optional>
#include <string>

#include "fdk/headers.hpp"
#include "protocol/deadline.hpp"

namespace fdk::protocol {

struct AgentCall {
  std::string body;
  std::string content_type;
  std::string call_id;
  SystemTime deadline;
  /// The agent truncates Fn-Deadline to whole seconds; tests with sub-second timeouts
  /// turn this off to send milliseconds.
  bool whole_second_deadline = true;
  /// Extra headers, sent as they are.
  Headers headers;
  /// Set for an HTTP-gateway call.
  std::optional<std::string> gateway_method;
  std::string gateway_url;
  /// The gateway caller's headers, sent as `Fn-Http-H-<Name>`.
  Headers gateway_headers;
};

/// `POST /call` as the agent writes it: Fn-Call-Id, Fn-Deadline (whole seconds, UTC, as
/// the server truncates it), a chunked body when non-empty and `Content-Length: 0` otherwise,
/// and for gateway calls Fn-Intent, Fn-Http-Method, Fn-Http-Request-Url and Fn-Http-H-*.
[[nodiscard]] std::string encode_agent_request(const AgentCall& call);

/// The agent's deadline format: `2026-11-21T20:14:08Z` (truncated to whole seconds).
[[nodiscard]] std::string format_agent_deadline(SystemTime deadline);

}  // namespace fdk::protocol
