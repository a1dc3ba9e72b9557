// A small blocking HTTP/1.1 server for loopback tests: one thread per connection, optional
// TLS, keep-alive, and replies that can misbehave on purpose (delay, connection reset).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "fdk/headers.hpp"

namespace oci_emulator {

struct Request {
  std::string method;
  std::string target;  ///< path and query as received
  std::string path;    ///< target without query
  fdk::Headers headers;
  std::string body;
};

struct Reply {
  int status = 200;
  fdk::Headers headers;
  std::string body;
  bool reset_connection = false;  ///< drop the connection with a TCP RST instead of answering
};

using Handler = std::function<Reply(const Request&)>;

struct TlsFiles {
  std::string certificate_chain;  ///< PEM: server certificate (then intermediates)
  std::string private_key;        ///< PEM
};

class HttpServer {
 public:
  /// Listens on 127.0.0.1:`port` (0: the OS picks one); TLS when `tls` names files.
  /// Throws std::runtime_error when the port or the TLS files cannot be used.
  HttpServer(int port, const TlsFiles* tls, Handler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  [[nodiscard]] int port() const noexcept { return port_; }
  [[nodiscard]] bool tls() const noexcept;
  /// Stops accepting, closes every connection and joins the threads. Idempotent.
  void stop();

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
  int port_ = 0;
  std::thread acceptor_;
};

}  // namespace oci_emulator
