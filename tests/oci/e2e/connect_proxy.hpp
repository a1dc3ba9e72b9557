// A minimal HTTP CONNECT proxy on a loopback port, for testing tunnelled HTTPS. It serves one
// tunnel at a time and remembers the CONNECT targets it was asked for.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace oci_e2e {

class ConnectProxy {
 public:
  ConnectProxy();
  ~ConnectProxy();
  ConnectProxy(const ConnectProxy&) = delete;
  ConnectProxy& operator=(const ConnectProxy&) = delete;

  [[nodiscard]] int port() const { return port_; }
  /// The `host:port` of every CONNECT received.
  [[nodiscard]] std::vector<std::string> targets();
  /// The `Proxy-Authorization` value of every CONNECT received (empty when absent).
  [[nodiscard]] std::vector<std::string> authorizations();

 private:
  void run();
  void tunnel(int client);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<std::string> targets_;
  std::vector<std::string> authorizations_;
  std::thread thread_;
};

}  // namespace oci_e2e
