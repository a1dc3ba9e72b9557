#include "agent_connection.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "function_process.hpp"

namespace fdk::invoker {

namespace {
using Clock = std::chrono::steady_clock;

http::ParserLimits response_limits() {
  http::ParserLimits limits;
  limits.max_header_bytes = 1 << 20;
  limits.max_body_bytes = std::size_t(1) << 32;
  return limits;
}
}  // namespace

AgentConnection::AgentConnection(const std::string& socket_path)
    : parser_(response_limits(), http::MessageParser::Kind::response) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (socket_path.size() >= sizeof address.sun_path) {
    throw InvokeError("the socket path '" + socket_path + "' is too long for a Unix socket.");
  }
  std::memcpy(address.sun_path, socket_path.c_str(), socket_path.size() + 1);
  fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0 || ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    std::string reason = std::strerror(errno);
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    throw InvokeError("cannot connect to " + socket_path + ": " + reason);
  }
}

AgentConnection::~AgentConnection() {
  if (fd_ >= 0) ::close(fd_);
}

http::RawResponse AgentConnection::call(const protocol::AgentCall& call, std::chrono::milliseconds wait) {
  return exchange(protocol::encode_agent_request(call), wait);
}

http::RawResponse AgentConnection::exchange(const std::string& bytes, std::chrono::milliseconds wait) {
  if (closed_by_peer_) throw InvokeError("the function closed this connection.");
  std::string_view out = bytes;
  while (!out.empty()) {
    ssize_t n = ::send(fd_, out.data(), out.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw InvokeError(std::string("sending the call failed: ") + std::strerror(errno));
    out.remove_prefix(static_cast<std::size_t>(n));
  }

  auto give_up = Clock::now() + wait;
  std::string pending;
  pending.swap(leftover_);
  char buffer[64 * 1024];
  while (true) {
    if (!pending.empty()) {
      std::size_t consumed = 0;
      auto status = parser_.feed(pending, consumed);
      pending.erase(0, consumed);
      if (status == http::MessageParser::Status::complete) {
        leftover_ = std::move(pending);
        auto response = parser_.take_message();
        if (!response.keep_alive) closed_by_peer_ = true;
        return response;
      }
      if (status == http::MessageParser::Status::error) {
        throw InvokeError("the function's response is not valid HTTP: " + parser_.error_message());
      }
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(give_up - Clock::now()).count();
    if (left <= 0) throw InvokeError("no complete response within " + std::to_string(wait.count()) + " ms.");
    pollfd pfd{fd_, POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(left)) <= 0) continue;
    ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw InvokeError(std::string("reading the response failed: ") + std::strerror(errno));
    if (n == 0) {
      closed_by_peer_ = true;
      if (parser_.finish() == http::MessageParser::Status::complete) return parser_.take_message();
      throw InvokeError("the function closed the connection without a complete response (the agent would answer "
                        "502 and kill the container).");
    }
    pending.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace fdk::invoker
