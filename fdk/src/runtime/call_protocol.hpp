// What differs between the platforms the libuv server serves: how a request becomes a call and
// how an Outcome goes on the wire. Fn speaks to its agent; an HTTP host to the caller directly.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "httphost/host_environment.hpp"
#include "protocol/call_flow.hpp"

namespace fdk::runtime {

/// An answer ready for the socket: its head, and the Outcome whose body follows the head as it
/// is. The body is never copied next to the head, so a large answer costs its size once.
/// Whoever writes it keeps the whole struct alive until the write has finished.
struct EncodedAnswer {
  std::string head;
  protocol::Outcome outcome;
  bool with_body = true;

  [[nodiscard]] std::string_view body() const noexcept {
    return with_body ? std::string_view(outcome.response.body()) : std::string_view();
  }
  [[nodiscard]] std::size_t size() const noexcept { return head.size() + body().size(); }
};

class CallProtocol {
 public:
  virtual ~CallProtocol() = default;
  /// Maps a parsed request into `call`, in place (see protocol::accept_request), or answers
  /// it right away.
  [[nodiscard]] virtual std::optional<protocol::Outcome> accept(protocol::RawRequest&& request,
                                                                protocol::SystemTime now,
                                                                protocol::PreparedCall& call) const = 0;
  /// Serialises the answer's head and takes the Outcome over; called on handler threads too,
  /// so it must not touch shared state.
  [[nodiscard]] virtual EncodedAnswer encode(protocol::Outcome outcome, bool close_connection) const = 0;
  /// The stderr line for an Outcome's log_line.
  [[nodiscard]] virtual std::string log_line(const std::string& line) const { return line; }
  /// True when the caller must get the head only (a HEAD request on an HTTP host).
  [[nodiscard]] virtual bool head_only(const protocol::PreparedCall&) const { return false; }
  /// Who replaces the process when it exits with too many stuck handlers (for that message).
  [[nodiscard]] virtual const char* replacer() const = 0;
};

/// Fn's hot-function protocol: POST /call from the agent, Fn-* headers.
[[nodiscard]] std::unique_ptr<CallProtocol> fn_protocol(protocol::FunctionEnvironment env,
                                                        protocol::ParserLimits limits);

/// A plain HTTP server's: every request is a call; status and headers on the wire.
[[nodiscard]] std::unique_ptr<CallProtocol> http_protocol(protocol::FunctionEnvironment env,
                                                          httphost::HostEnvironment host,
                                                          protocol::ParserLimits limits);

}  // namespace fdk::runtime
