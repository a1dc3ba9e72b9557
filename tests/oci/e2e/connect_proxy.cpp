#include "connect_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

namespace oci_e2e {
namespace {

int connect_loopback(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Copies bytes both ways until either side closes.
void splice(int a, int b) {
  char buffer[16384];
  for (;;) {
    pollfd fds[2] = {{a, POLLIN, 0}, {b, POLLIN, 0}};
    if (poll(fds, 2, 5000) <= 0) return;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].revents == 0) continue;
      const long got = recv(fds[i].fd, buffer, sizeof buffer, 0);
      if (got <= 0 || send(fds[1 - i].fd, buffer, static_cast<size_t>(got), MSG_NOSIGNAL) != got) return;
    }
  }
}

}  // namespace

ConnectProxy::ConnectProxy() {
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
  listen(listen_fd_, 8);
  socklen_t length = sizeof address;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  thread_ = std::thread([this] { run(); });
}

ConnectProxy::~ConnectProxy() {
  stopping_ = true;
  shutdown(listen_fd_, SHUT_RDWR);
  thread_.join();
  close(listen_fd_);
}

std::vector<std::string> ConnectProxy::targets() {
  std::lock_guard<std::mutex> lock(mutex_);
  return targets_;
}

std::vector<std::string> ConnectProxy::authorizations() {
  std::lock_guard<std::mutex> lock(mutex_);
  return authorizations_;
}

void ConnectProxy::run() {
  while (!stopping_) {
    const int client = accept(listen_fd_, nullptr, nullptr);
    if (client < 0) return;
    tunnel(client);
    close(client);
  }
}

void ConnectProxy::tunnel(int client) {
  std::string head;
  char byte = 0;
  while (head.find("\r\n\r\n") == std::string::npos && recv(client, &byte, 1, 0) == 1) head += byte;
  if (head.rfind("CONNECT ", 0) != 0) {
    const std::string refusal = "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n";
    send(client, refusal.data(), refusal.size(), MSG_NOSIGNAL);
    return;
  }
  const std::string target = head.substr(8, head.find(' ', 8) - 8);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    targets_.push_back(target);
    const std::string field = "\r\nProxy-Authorization: ";
    const auto at = head.find(field);
    authorizations_.push_back(at == std::string::npos ? std::string()
                                                      : head.substr(at + field.size(), head.find('\r', at + 2) - at - field.size()));
  }
  const int upstream = connect_loopback(std::stoi(target.substr(target.rfind(':') + 1)));
  const std::string reply = upstream >= 0 ? "HTTP/1.1 200 Connection established\r\n\r\n" : "HTTP/1.1 502 Bad Gateway\r\n\r\n";
  send(client, reply.data(), reply.size(), MSG_NOSIGNAL);
  if (upstream < 0) return;
  splice(client, upstream);
  close(upstream);
}

}  // namespace oci_e2e
