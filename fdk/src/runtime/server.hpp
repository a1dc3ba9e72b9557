// The libuv event loop: a thin layer that moves bytes between the socket and protocol/call_flow.
#pragma once

#include <memory>

#include "fdk/run.hpp"
#include "protocol/function_environment.hpp"
#include "protocol/message_parser.hpp"
#include "runtime/listener.hpp"

namespace fdk::runtime {

struct ServerSettings {
  ListenerPaths paths;
  protocol::ParserLimits limits;
  protocol::FunctionEnvironment environment;
  /// RunOptions::max_stuck_handlers.
  std::size_t max_stuck_handlers = 8;
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
