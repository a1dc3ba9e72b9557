// One keep-alive connection to a function's socket, speaking like the Fn agent.
#pragma once

#include <chrono>
#include <string>

#include "testing/agent_request.hpp"
#include "protocol/message_parser.hpp"  // the HTTP module's parser, as fdk::protocol names it

namespace fdk::invoker {

class AgentConnection {
 public:
  /// Connects to the Unix socket at `socket_path`; throws InvokeError on failure.
  explicit AgentConnection(const std::string& socket_path);
  ~AgentConnection();
  AgentConnection(const AgentConnection&) = delete;
  AgentConnection& operator=(const AgentConnection&) = delete;

  /// Sends one call and reads the whole response. Gives up (InvokeError) when nothing
  /// complete arrived within `wait` after sending.
  http::RawResponse call(const protocol::AgentCall& call, std::chrono::milliseconds wait);

  /// Sends raw bytes (for tests of malformed input) and reads one response.
  http::RawResponse exchange(const std::string& bytes, std::chrono::milliseconds wait);

  /// True when the function closed the connection after the last response.
  [[nodiscard]] bool closed_by_peer() const noexcept { return closed_by_peer_; }

 private:
  int fd_ = -1;
  http::MessageParser parser_;
  std::string leftover_;
  bool closed_by_peer_ = false;
};

}  // namespace fdk::invoker
