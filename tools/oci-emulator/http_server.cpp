#include "http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <list>
#include <mutex>
#include <set>
#include <stdexcept>

#include "http/message_parser.hpp"
#include "http/message_writer.hpp"
#include "http/url.hpp"

namespace oci_emulator {
namespace {

// One request at a time (no pipelining needed by our clients): bytes after a complete
// request are ignored.
class RequestParser {
 public:
  // Limits only stop a broken test client from exhausting memory.
  RequestParser() : parser_(fdk::http::ParserLimits{1 << 20, std::size_t(1) << 28}) {}

  // Returns false on malformed input.
  bool feed(const char* data, size_t size) {
    std::size_t consumed = 0;
    const auto status = parser_.feed(std::string_view(data, size), consumed);
    complete_ = status == fdk::http::MessageParser::Status::complete;
    return status != fdk::http::MessageParser::Status::error;
  }
  [[nodiscard]] bool complete() const { return complete_; }
  Request take() {
    fdk::http::RawRequest message = parser_.take_message();
    keep_alive_ = message.keep_alive;
    Request request;
    request.method = std::move(message.method);
    // Absolute-form targets (what clients send to an HTTP proxy) are served as origin-form,
    // as RFC 9112 asks of servers; the emulator then doubles as a plain-HTTP forward proxy to itself.
    request.target = fdk::http::origin_form(message.target);
    request.path = request.target.substr(0, request.target.find('?'));
    request.headers = std::move(message.headers);
    request.body = std::move(message.body);
    return request;
  }
  /// Valid after take().
  [[nodiscard]] bool keep_alive() const { return keep_alive_; }

 private:
  fdk::http::MessageParser parser_;
  bool complete_ = false, keep_alive_ = false;
};

std::string serialize(const Reply& reply, bool keep_alive) {
  std::string out;
  fdk::http::write_status_line(out, reply.status);
  fdk::http::write_headers(out, reply.headers);
  fdk::http::write_header(out, "Content-Length", std::to_string(reply.body.size()));
  fdk::http::write_header(out, "Connection", keep_alive ? "keep-alive" : "close");
  fdk::http::end_head(out);
  return out + reply.body;
}

}  // namespace

struct HttpServer::Shared {
  Handler handler;
  SSL_CTX* tls = nullptr;
  int listen_fd = -1;
  std::atomic<bool> stopping{false};
  std::mutex mutex;
  std::set<int> open_fds;
  struct Worker {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::list<Worker> workers;

  ~Shared() {
    if (tls != nullptr) SSL_CTX_free(tls);
  }

  // Reads and answers requests until the client closes, a reset is injected or we stop.
  void serve(int fd) {
    // OpenSSL writes without MSG_NOSIGNAL; a client that hangs up must not kill the process
    // hosting the emulator (tests run it in-process). Blocked, the signal is never delivered.
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
    SSL* ssl = nullptr;
    if (tls != nullptr) {
      ssl = SSL_new(tls);
      SSL_set_fd(ssl, fd);
      if (SSL_accept(ssl) != 1) {
        ERR_clear_error();
        finish(fd, ssl, false);
        return;
      }
    }
    bool reset = false;
    while (!stopping) {
      RequestParser parser;
      char buffer[16384];
      bool open = true;
      while (open && !parser.complete()) {
        const int got = ssl != nullptr ? SSL_read(ssl, buffer, sizeof buffer)
                                       : static_cast<int>(::recv(fd, buffer, sizeof buffer, 0));
        open = got > 0 && parser.feed(buffer, static_cast<size_t>(got));
      }
      if (!parser.complete()) break;
      Request request = parser.take();
      const bool keep_alive = parser.keep_alive();
      Reply reply = handler(request);
      if (reply.reset_connection) {
        reset = true;
        break;
      }
      const std::string wire = serialize(reply, keep_alive);
      const int sent = ssl != nullptr ? SSL_write(ssl, wire.data(), static_cast<int>(wire.size()))
                                      : static_cast<int>(::send(fd, wire.data(), wire.size(), MSG_NOSIGNAL));
      if (sent != static_cast<int>(wire.size()) || !keep_alive) break;
    }
    finish(fd, ssl, reset);
  }

  void finish(int fd, SSL* ssl, bool reset) {
    if (reset) {
      // SO_LINGER with a zero timeout makes close() send RST: the client sees "connection reset".
      const linger abort_now{1, 0};
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_now, sizeof abort_now);
    } else if (ssl != nullptr) {
      SSL_shutdown(ssl);
    }
    if (ssl != nullptr) SSL_free(ssl);
    {
      std::lock_guard<std::mutex> lock(mutex);
      open_fds.erase(fd);
    }
    close(fd);
  }

  // Called with `mutex` held: joins threads whose connection has ended, so a long-running
  // emulator does not accumulate them.
  void reap_finished_workers() {
    for (auto it = workers.begin(); it != workers.end();) {
      if (*it->done) {
        it->thread.join();
        it = workers.erase(it);
      } else {
        ++it;
      }
    }
  }

  void accept_loop() {
    while (!stopping) {
      const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        return;
      }
      std::lock_guard<std::mutex> lock(mutex);
      if (stopping) {
        close(fd);
        return;
      }
      reap_finished_workers();
      // Without this, Nagle holds a small reply until the client's delayed ACK (40 ms on Linux).
      const int on = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
      open_fds.insert(fd);
      auto done = std::make_shared<std::atomic<bool>>(false);
      workers.push_back(Worker{std::thread([this, fd, done] {
                                 serve(fd);
                                 *done = true;
                               }),
                               done});
    }
  }
};

HttpServer::HttpServer(int port, const TlsFiles* tls, Handler handler) : shared_(std::make_shared<Shared>()) {
  shared_->handler = std::move(handler);
  if (tls != nullptr) {
    shared_->tls = SSL_CTX_new(TLS_server_method());
    if (SSL_CTX_use_certificate_chain_file(shared_->tls, tls->certificate_chain.c_str()) != 1 ||
        SSL_CTX_use_PrivateKey_file(shared_->tls, tls->private_key.c_str(), SSL_FILETYPE_PEM) != 1) {
      ERR_clear_error();
      throw std::runtime_error("cannot load the TLS certificate '" + tls->certificate_chain + "' or key '" +
                               tls->private_key + "'; generate them with make-test-ca.sh");
    }
  }
  shared_->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int on = 1;
  setsockopt(shared_->listen_fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(shared_->listen_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      listen(shared_->listen_fd, 64) != 0) {
    const std::string why = std::strerror(errno);
    close(shared_->listen_fd);
    throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + why);
  }
  socklen_t length = sizeof address;
  getsockname(shared_->listen_fd, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([shared = shared_] { shared->accept_loop(); });
}

HttpServer::~HttpServer() { stop(); }

bool HttpServer::tls() const noexcept { return shared_->tls != nullptr; }

void HttpServer::stop() {
  if (shared_->stopping.exchange(true)) return;
  ::shutdown(shared_->listen_fd, SHUT_RDWR);
  if (acceptor_.joinable()) acceptor_.join();
  close(shared_->listen_fd);
  std::list<Shared::Worker> workers;
  {
    std::lock_guard<std::mutex> lock(shared_->mutex);
    for (int fd : shared_->open_fds) ::shutdown(fd, SHUT_RDWR);
    workers.swap(shared_->workers);
  }
  for (auto& worker : workers) worker.thread.join();
}

}  // namespace oci_emulator
