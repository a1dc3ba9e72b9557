// One client connection: TCP, optionally through an HTTP CONNECT proxy, optionally TLS.
// Every blocking step waits at most until a steady-clock time limit.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include "oci/http/proxy.hpp"
#include "oci/http/url.hpp"

struct ssl_st;

namespace fdk::oci::http {

class TlsContext;
using SteadyTime = std::chrono::steady_clock::time_point;

class Connection {
 public:
  /// Connects to `target` (through `proxy` when given: a CONNECT tunnel for https, a plain
  /// connection to the proxy for http; `Proxy-Authorization` when it has credentials) and completes the TLS handshake for https, verifying
  /// the certificate chain and the host name. Throws NetworkError; DeadlineExceeded never:
  /// running past `until` is a NetworkError whose message says which step timed out.
  static std::unique_ptr<Connection> open(const Url& target, const std::optional<Proxy>& proxy, TlsContext* tls,
                                          SteadyTime until);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void write_all(std::string_view data, SteadyTime until);
  /// Reads what is available (waiting for at least one byte); 0 means the peer closed.
  std::size_t read_some(char* buffer, std::size_t capacity, SteadyTime until);
  /// False when an idle pooled connection was closed by the peer (or has stray bytes).
  [[nodiscard]] bool still_usable() const;

 private:
  explicit Connection(int fd) : fd_(fd) {}
  void start_tls(const Url& target, TlsContext& tls, SteadyTime until);
  void tunnel_through_proxy(const Url& target, const Proxy& proxy, SteadyTime until);

  int fd_;
  ssl_st* ssl_ = nullptr;
};

}  // namespace fdk::oci::http
