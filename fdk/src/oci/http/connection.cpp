#include "oci/http/connection.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "fdk/oci/call_errors.hpp"
#include "http/message_parser.hpp"
#include "http/status_text.hpp"
#include "oci/http/tls_context.hpp"

namespace fdk::oci::http {
namespace {

[[noreturn]] void fail(const std::string& what) { throw NetworkError(what, true); }

int remaining_ms(SteadyTime until) {
  // Rounded up: poll must not wake before `until`, or a deadline check right after would miss.
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<long long>(left.count(), 1 << 30));
}

// Waits for `events` on `fd`; throws when `until` passes first.
void wait_for(int fd, short events, SteadyTime until, const char* step) {
  for (;;) {
    pollfd entry{fd, events, 0};
    const int ready = poll(&entry, 1, remaining_ms(until));
    if (ready > 0) return;
    if (ready == 0) fail(std::string("timed out while ") + step);
    if (errno != EINTR) fail(std::string("poll failed while ") + step + ": " + std::strerror(errno));
  }
}

int connect_one(const addrinfo& address, SteadyTime until) {
  const int fd = socket(address.ai_family, address.ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, address.ai_protocol);
  if (fd < 0) return -1;
  if (connect(fd, address.ai_addr, address.ai_addrlen) != 0 && errno != EINPROGRESS) {
    close(fd);
    return -1;
  }
  pollfd entry{fd, POLLOUT, 0};
  int error = 0;
  socklen_t length = sizeof error;
  if (poll(&entry, 1, remaining_ms(until)) != 1 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 ||
      error != 0) {
    close(fd);
    errno = error != 0 ? error : ETIMEDOUT;
    return -1;
  }
  const int on = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  return fd;
}

// Name resolution uses getaddrinfo, which cannot be bounded by `until`; loopback and
// service names resolve from /etc/hosts or the local resolver cache in practice.
int connect_tcp(const std::string& host, int port, SteadyTime until) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0) {
    fail("cannot resolve host '" + host + "': " + gai_strerror(rc));
  }
  int fd = -1;
  int last_error = 0;
  for (addrinfo* address = found; address != nullptr && fd < 0; address = address->ai_next) {
    fd = connect_one(*address, until);
    if (fd < 0) last_error = errno;
  }
  freeaddrinfo(found);
  if (fd < 0) fail("cannot connect to " + host + ":" + service + ": " + std::strerror(last_error));
  return fd;
}

}  // namespace

std::unique_ptr<Connection> Connection::open(const Url& target, const std::optional<Proxy>& proxy, TlsContext* tls,
                                             SteadyTime until) {
  const Url& first_hop = proxy ? proxy->url : target;
  std::unique_ptr<Connection> connection(new Connection(connect_tcp(first_hop.host, first_hop.port, until)));
  if (target.is_https()) {
    if (proxy) connection->tunnel_through_proxy(target, *proxy, until);
    connection->start_tls(target, *tls, until);
  }
  return connection;
}

Connection::~Connection() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  close(fd_);
}

void Connection::tunnel_through_proxy(const Url& target, const Proxy& proxy, SteadyTime until) {
  const std::string authority = target.host_and_port();
  write_all(connect_request(target, proxy), until);
  // The answer's head only: a 200 starts the tunnel and has no body, anything else ends this
  // connection. Read byte by byte: what follows the head belongs to the TLS handshake.
  fdk::http::MessageParser parser(fdk::http::ParserLimits{8192, 0}, fdk::http::MessageParser::Kind::response_to_head);
  for (;;) {
    char byte = 0;
    if (read_some(&byte, 1, until) == 0) fail("the proxy closed the connection during CONNECT to " + authority);
    std::size_t consumed = 0;
    const auto progress = parser.feed(std::string_view(&byte, 1), consumed);
    if (progress == fdk::http::MessageParser::Status::complete) break;
    if (progress == fdk::http::MessageParser::Status::error) {
      throw NetworkError("the proxy's answer to CONNECT to " + authority + " is not usable: " + parser.error_message(),
                         false);
    }
  }
  const int status = parser.take_message().status;
  if (status != 200) {
    throw NetworkError("the proxy refused CONNECT to " + authority + ": HTTP status " + std::to_string(status) + " " +
                           std::string(fdk::http::status_text(status)),
                       false);
  }
}

void Connection::start_tls(const Url& target, TlsContext& tls, SteadyTime until) {
  ssl_ = SSL_new(tls.native());
  if (ssl_ == nullptr) fail("cannot create a TLS session: " + drain_openssl_errors());
  SSL_set_fd(ssl_, fd_);
  if (is_ip_literal(target.host)) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), target.host.c_str());
  } else {
    SSL_set1_host(ssl_, target.host.c_str());
    SSL_set_tlsext_host_name(ssl_, target.host.c_str());
  }
  for (;;) {
    const int rc = SSL_connect(ssl_);
    if (rc == 1) return;
    const int error = SSL_get_error(ssl_, rc);
    if (error == SSL_ERROR_WANT_READ) {
      wait_for(fd_, POLLIN, until, "waiting for the TLS handshake");
    } else if (error == SSL_ERROR_WANT_WRITE) {
      wait_for(fd_, POLLOUT, until, "sending the TLS handshake");
    } else {
      const long verify = SSL_get_verify_result(ssl_);
      if (verify != X509_V_OK) {
        throw NetworkError("the TLS certificate of " + target.authority() + " is not trusted: " +
                               X509_verify_cert_error_string(verify) +
                               " (set OCI_CA_BUNDLE to a PEM file with the issuing CA if it is a private CA)",
                           false);
      }
      fail("TLS handshake with " + target.authority() + " failed: " + drain_openssl_errors());
    }
  }
}

void Connection::write_all(std::string_view data, SteadyTime until) {
  while (!data.empty()) {
    long written = 0;
    if (ssl_ != nullptr) {
      const int rc = SSL_write(ssl_, data.data(), static_cast<int>(std::min<std::size_t>(data.size(), 1 << 20)));
      if (rc <= 0) {
        const int error = SSL_get_error(ssl_, rc);
        if (error == SSL_ERROR_WANT_WRITE || error == SSL_ERROR_WANT_READ) {
          wait_for(fd_, error == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN, until, "sending the request");
          continue;
        }
        fail("sending the request failed: the connection was closed or reset");
      }
      written = rc;
    } else {
      written = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (written < 0) {
        if (errno == EAGAIN || errno == EINTR) {
          wait_for(fd_, POLLOUT, until, "sending the request");
          continue;
        }
        fail(std::string("sending the request failed: ") + std::strerror(errno));
      }
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
}

std::size_t Connection::read_some(char* buffer, std::size_t capacity, SteadyTime until) {
  for (;;) {
    if (ssl_ != nullptr) {
      const int rc = SSL_read(ssl_, buffer, static_cast<int>(std::min<std::size_t>(capacity, 1 << 20)));
      if (rc > 0) return static_cast<std::size_t>(rc);
      const int error = SSL_get_error(ssl_, rc);
      if (error == SSL_ERROR_ZERO_RETURN) return 0;
      if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
        wait_for(fd_, error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, until, "waiting for the response");
        continue;
      }
      ERR_clear_error();  // the detail does not help: the peer went away
      fail("reading the response failed: the connection was closed or reset");
    }
    const long got = ::recv(fd_, buffer, capacity, 0);
    if (got >= 0) return static_cast<std::size_t>(got);
    if (errno == EAGAIN || errno == EINTR) {
      wait_for(fd_, POLLIN, until, "waiting for the response");
      continue;
    }
    fail(std::string("reading the response failed: ") + std::strerror(errno));
  }
}

bool Connection::still_usable() const {
  pollfd entry{fd_, POLLIN, 0};
  return poll(&entry, 1, 0) == 0;
}

}  // namespace fdk::oci::http
