// The life of one call, free of I/O: request -> context -> handler -> wire response.
// The libuv server and fdk::testing both drive calls through these functions.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <variant>

#include "fdk/context.hpp"
#include "fdk/response.hpp"
#include "fdk/run.hpp"
#include "protocol/deadline.hpp"
#include "protocol/function_environment.hpp"
#include "protocol/message_parser.hpp"

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

/// A request accepted for the handler.
struct PreparedCall {
  Context context;
  std::string body;
  std::shared_ptr<std::atomic<bool>> cancelled;
  /// Written to stdout and stderr before the handler runs (empty when framing is off).
  std::string log_frame;
};

/// Checks a parsed request (path, body size) and maps it to a call; a request that must
/// not reach the handler gets its Outcome right away.
[[nodiscard]] std::variant<Outcome, PreparedCall> accept_request(RawRequest&& request, const FunctionEnvironment& env,
                                                                 const ParserLimits& limits, SystemTime now);

/// The 413 for a request whose body was over the limit (`seen` bytes arrived).
[[nodiscard]] Outcome too_large_outcome(const std::string& call_id, std::size_t seen, std::size_t limit);

/// Runs the handler and turns whatever it does (return, HttpError, any exception,
/// an invalid Response) into an Outcome. Never throws.
[[nodiscard]] Outcome run_handler(const Handler& handler, PreparedCall& call) noexcept;

/// The 504 sent when the deadline passes before the handler returns.
[[nodiscard]] Outcome deadline_outcome(const std::string& call_id, SystemTime deadline);

/// The handler's outcome if it finished before the deadline, else the 504: the agent stops
/// waiting at the deadline, so a result produced after it is discarded, never sent.
[[nodiscard]] Outcome outcome_at(Outcome outcome, const Context& context, SystemTime finished);

/// 502 for a call the function cannot start (no thread, or too many stuck handlers).
[[nodiscard]] Outcome unavailable_outcome(const std::string& call_id, const std::string& problem);

/// The answer to bytes that are not a usable HTTP request (the connection is closed after it).
[[nodiscard]] Outcome malformed_request_outcome(const std::string& problem);

/// Serialises an Outcome as the HTTP/1.1 response the agent reads.
[[nodiscard]] std::string encode_outcome(const Outcome& outcome, bool close_connection);

}  // namespace fdk::protocol
