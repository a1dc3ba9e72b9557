#include "lambda/runtime_api_client.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "http/message_writer.hpp"
#include "http/url.hpp"

namespace fdk::lambda {

namespace {

constexpr http::ParserLimits kAnswerLimits{64 * 1024, kMaxEventBytes};
constexpr std::size_t kReadChunkBytes = 64 * 1024;

std::string system_problem(const std::string& what) { return what + ": " + std::strerror(errno); }

}  // namespace

RuntimeApiClient::RuntimeApiClient(RuntimeApiAddress address) : address_(std::move(address)) {}

RuntimeApiClient::~RuntimeApiClient() { disconnect(); }

void RuntimeApiClient::disconnect() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::string RuntimeApiClient::connect_to_api() {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  // Lambda gives an IP address, and a static binary cannot rely on the name service of
  // another glibc: literals (and localhost, which emulators use) never consult it.
  std::string host = address_.host == "localhost" ? "127.0.0.1" : address_.host;
  if (http::is_ip_literal(host)) hints.ai_flags |= AI_NUMERICHOST;
  addrinfo* found = nullptr;
  std::string port = std::to_string(address_.port);
  int status = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found);
  if (status != 0) return "cannot resolve " + address_.authority + ": " + ::gai_strerror(status);
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
  std::string problem = "cannot connect to " + address_.authority;
  for (const addrinfo* candidate = found; candidate != nullptr; candidate = candidate->ai_next) {
    int fd = ::socket(candidate->ai_family, candidate->ai_socktype | SOCK_CLOEXEC, candidate->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, candidate->ai_addr, candidate->ai_addrlen) == 0) {
      int on = 1;  // requests are written whole: do not hold the last segment back
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
      fd_ = fd;
      return {};
    }
    problem = system_problem("cannot connect to " + address_.authority);
    ::close(fd);
  }
  return problem;
}

std::string RuntimeApiClient::send_all(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return system_problem("cannot send to " + address_.authority);
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
  return {};
}

std::variant<http::RawResponse, std::string> RuntimeApiClient::read_answer(std::string_view method,
                                                                          bool& nothing_received) {
  http::MessageParser parser(kAnswerLimits, method == "HEAD" ? http::MessageParser::Kind::response_to_head
                                                             : http::MessageParser::Kind::response);
  std::string buffer(kReadChunkBytes, '\0');
  nothing_received = true;
  for (;;) {
    ssize_t received = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (received < 0 && errno == EINTR) continue;
    if (received < 0) return system_problem("cannot read from " + address_.authority);
    http::MessageParser::Status status;
    if (received == 0) {
      status = parser.finish();
      if (status == http::MessageParser::Status::need_more) {
        return "the Runtime API at " + address_.authority + " closed the connection without answering";
      }
    } else {
      nothing_received = false;
      std::size_t consumed = 0;
      status = parser.feed(std::string_view(buffer.data(), static_cast<std::size_t>(received)), consumed);
    }
    if (status == http::MessageParser::Status::error) {
      return "the Runtime API's answer is unusable: " + parser.error_message();
    }
    if (status == http::MessageParser::Status::complete) {
      http::RawResponse answer = parser.take_message();
      if (!answer.keep_alive) disconnect();
      return answer;
    }
  }
}

std::variant<http::RawResponse, std::string> RuntimeApiClient::exchange(std::string_view method,
                                                                       const std::string& target,
                                                                       const Headers& headers, std::string_view body) {
  std::string request;
  http::write_request_line(request, method, target);
  http::write_header(request, "Host", address_.authority);
  http::write_headers(request, headers);
  if (method != "GET" || !body.empty()) http::write_header(request, "Content-Length", std::to_string(body.size()));
  http::end_head(request);
  request.append(body);

  for (int attempt = 0;; ++attempt) {
    const bool reused = fd_ >= 0;
    if (!reused) {
      if (std::string problem = connect_to_api(); !problem.empty()) return problem;
    }
    std::string problem = send_all(request);
    bool nothing_received = true;
    if (problem.empty()) {
      auto answer = read_answer(method, nothing_received);
      if (std::holds_alternative<http::RawResponse>(answer)) return answer;
      problem = std::get<std::string>(answer);
    }
    disconnect();
    // Only a kept-alive connection closed by the server before answering is worth a new try.
    if (!reused || !nothing_received || attempt > 0) return problem;
  }
}

}  // namespace fdk::lambda
