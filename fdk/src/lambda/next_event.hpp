// The Runtime API's answer to `GET .../invocation/next` read into the facts of one invocation. No I/O.
#pragma once

#include <cstddef>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "fdk/config.hpp"
#include "fdk/context.hpp"
#include "fdk/headers.hpp"
#include "http/message_parser.hpp"

namespace fdk::lambda {

using SystemTime = std::chrono::system_clock::time_point;

/// The largest answer body the client keeps: Lambda's 6 MB payload limit plus headroom.
inline constexpr std::size_t kMaxEventBytes = 7u * 1024u * 1024u;

/// One invocation as `next` delivers it.
struct NextEvent {
  std::string request_id;               ///< `Lambda-Runtime-Aws-Request-Id`
  std::optional<SystemTime> deadline;   ///< `Lambda-Runtime-Deadline-Ms`, when plausible
  std::string trace_id;                 ///< `Lambda-Runtime-Trace-Id` (X-Ray), or empty
  /// `invoked_function_arn`, `client_context`, `cognito_identity`, `tenant_id`, `trace_id`:
  /// whichever headers were present.
  PlatformAttributes attributes;
  Headers headers;  ///< every header of the `next` answer
  std::string body; ///< the event, a JSON document for every AWS trigger
  /// The event was larger than the client reads (Lambda itself sends at most 6 MB): `body`
  /// is empty and the invocation is answered as too large.
  std::size_t oversize_bytes = 0;
};

/// Reads a `next` answer. Returns the event, or one sentence saying why it cannot be served
/// (not 200, or no request id: without one nothing can be posted back).
[[nodiscard]] std::variant<NextEvent, std::string> read_next_event(http::RawResponse&& response);

/// `Lambda-Runtime-Deadline-Ms`: Unix epoch milliseconds. Values below 1e12 (before
/// September 2001: some emulators send a timeout such as 5000 instead) or past 2200 are not a
/// deadline, and give none rather than a call that is already late.
[[nodiscard]] std::optional<SystemTime> deadline_from_epoch_ms(std::string_view text);

/// The per-process attributes Lambda passes in the environment: `function_version`,
/// `log_group`, `log_stream` (whichever are set).
[[nodiscard]] PlatformAttributes process_attributes(const Config& environment);

}  // namespace fdk::lambda
