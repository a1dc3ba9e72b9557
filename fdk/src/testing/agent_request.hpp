// Encoding a call the way the Fn agent sends it: the agent side of the Fn protocol, for
// fdk::testing, fdk-invoke, tests and benchmarks (not part of libfdk). No I/O.
#pragma once

#include <string>

#include "fdk/headers.hpp"
#include "fdk/testing.hpp"
#include "protocol/deadline.hpp"

namespace fdk::protocol {

/// A call as fdk::testing describes it (body, content type, call id, headers, gateway
/// method, URL and headers), fixed to an instant: the encoder reads only those fields and the
/// two below (not `timeout`, `config` or `options`).
struct AgentCall : testing::Call {
  AgentCall() { call_id.clear(); }
  AgentCall(const testing::Call& call, SystemTime call_deadline) : testing::Call(call), deadline(call_deadline) {}

  SystemTime deadline;
  /// The agent truncates Fn-Deadline to whole seconds; tests with sub-second timeouts
  /// turn this off to send milliseconds.
  bool whole_second_deadline = true;
};

/// `POST /call` as the agent writes it: Fn-Call-Id, Fn-Deadline (whole seconds, UTC, as
/// the server truncates it), a chunked body when non-empty and `Content-Length: 0` otherwise,
/// and for gateway calls Fn-Intent, Fn-Http-Method, Fn-Http-Request-Url and Fn-Http-H-*.
[[nodiscard]] std::string encode_agent_request(const AgentCall& call);

/// The agent's deadline format: `2026-11-21T20:14:08Z` (truncated to whole seconds).
[[nodiscard]] std::string format_agent_deadline(SystemTime deadline);

}  // namespace fdk::protocol
