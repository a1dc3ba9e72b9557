#include "http_server.hpp"

#include <arpa/inet.h>
#include <llhttp.h>
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

namespace oci_emulator {
namespace {

const char* reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "Status";
  }
}

// Incremental request parsing; one request at a time (no pipelining needed by our clients).
class RequestParser {
 public:
  RequestParser() {
    llhttp_settings_init(&settings_);
    settings_.on_url = [](llhttp_t* p, const char* at, size_t n) { return self(p).append(self(p).request_.target, at, n); };
    settings_.on_header_field = [](llhttp_t* p, const char* at, size_t n) {
      auto& s = self(p);
      if (s.in_value_) s.flush();
      return s.append(s.field_, at, n);
    };
    settings_.on_header_value = [](llhttp_t* p, const char* at, size_t n) {
      auto& s = self(p);
      s.in_value_ = true;
      return s.append(s.value_, at, n);
    };
    settings_.on_headers_complete = [](llhttp_t* p) {
      self(p).flush();
      return 0;
    };
    settings_.on_body = [](llhttp_t* p, const char* at, size_t n) { return self(p).append(self(p).request_.body, at, n); };
    settings_.on_message_complete = [](llhttp_t* p) {
      auto& s = self(p);
      s.complete_ = true;
      s.keep_alive_ = llhttp_should_keep_alive(p) != 0;
      s.request_.method = llhttp_method_name(static_cast<llhttp_method_t>(p->method));
      return static_cast<int>(HPE_PAUSED);
    };
    llhttp_init(&parser_, HTTP_REQUEST, &settings_);
    parser_.data = this;
  }

  // Returns false on malformed input. Bytes after a complete request are ignored.
  bool feed(const char* data, size_t size) {
    const auto rc = llhttp_execute(&parser_, data, size);
    return rc == HPE_OK || rc == HPE_PAUSED;
  }
  [[nodiscard]] bool complete() const { return complete_; }
  [[nodiscard]] bool keep_alive() const { return keep_alive_; }
  Request take() {
    Request request = std::move(request_);
    // Absolute-form targets (what clients send to an HTTP proxy) are served as origin-form,
    // as RFC 9112 asks of servers; the emulator then doubles as a plain-HTTP forward proxy to itself.
    if (const auto scheme = request.target.find("://"); scheme != std::string::npos && scheme < 6) {
      const auto path = request.target.find('/', scheme + 3);
      request.target = path == std::string::npos ? "/" : request.target.substr(path);
    }
    request.path = request.target.substr(0, request.target.find('?'));
    return request;
  }

 private:
  static RequestParser& self(llhttp_t* parser) { return *static_cast<RequestParser*>(parser->data); }
  int append(std::string& to, const char* at, size_t n) {
    to.append(at, n);
    return 0;
  }
  void flush() {
    if (!field_.empty()) request_.headers.add(std::move(field_), std::move(value_));
    field_.clear();
    value_.clear();
    in_value_ = false;
  }

  llhttp_t parser_{};
  llhttp_settings_t settings_{};
  Request request_;
  std::string field_, value_;
  bool in_value_ = false, complete_ = false, keep_alive_ = false;
};

std::string serialize(const Reply& reply, bool keep_alive) {
  std::string out = "HTTP/1.1 " + std::to_string(reply.status) + " " + reason_phrase(reply.status) + "\r\n";
  for (const auto& [name, value] : reply.headers) out += name + ": " + value + "\r\n";
  out += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
  out += keep_alive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
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
      const bool keep_alive = parser.keep_alive();
      Reply reply = handler(parser.take());
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
