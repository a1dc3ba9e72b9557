// The libuv event loop: a thin layer that moves bytes between the socket and protocol/call_flow.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "fdk/run.hpp"
#include "protocol/function_environment.hpp"
#include "protocol/message_parser.hpp"
#include "runtime/call_protocol.hpp"
#include "runtime/listener.hpp"

namespace fdk::runtime {

/// A TCP address to listen on (HTTP hosts): an IP literal or `localhost`, and a port.
struct TcpEndpoint {
  std::string host;
  int port = 0;
};

struct ServerSettings {
  /// Fn: the Unix socket files. Unused when `tcp` is set.
  ListenerPaths paths;
  /// HTTP hosts: listen here instead of on a Unix socket.
  std::optional<TcpEndpoint> tcp;
  protocol::ParserLimits limits;
  protocol::FunctionEnvironment environment;
  /// How requests become calls; Fn's (from `environment` and `limits`) when empty.
  std::shared_ptr<const CallProtocol> protocol;
  /// RunOptions::max_stuck_handlers.
  std::size_t max_stuck_handlers = 8;
  /// Calls running at once; further complete requests wait their turn. 0: no bound.
  std::size_t max_concurrent_calls = 0;
  /// After SIGTERM, calls still running this long are abandoned and the process exits.
  /// 0: wait for them (Fn: their deadlines bound the wait).
  std::chrono::milliseconds shutdown_grace{0};
  /// Written to stderr once the listener is open (the platform and why), so that a failure
  /// to start stays a single line.
  std::string ready_line;
};

/// Exit status when too many handlers are stuck past their calls (docs/protocol.md).
inline constexpr int kExitStuckHandlers = 3;

/// Serves calls until SIGTERM/SIGINT. Returns the exit code (0 after a clean shutdown).
class Server {
 public:
  Server(Handler handler, ServerSettings settings);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds, publishes the socket and runs the loop. Writes one line to stderr and
  /// returns non-zero when the socket cannot be created.
  int run();

  struct Impl;  // public so the connection code in server.cpp can name it

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace fdk::runtime
