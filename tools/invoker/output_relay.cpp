#include "output_relay.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "function_process.hpp"

namespace fdk::invoker {

namespace {
void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the destination is gone; the output has nowhere to go
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

void make_pipe(int& read_end, int& write_end, int read_flags) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    throw InvokeError(std::string("cannot create a pipe for the function's output: ") + std::strerror(errno));
  }
  read_end = fds[0];
  write_end = fds[1];
  ::fcntl(read_end, F_SETFL, ::fcntl(read_end, F_GETFL) | read_flags);
}
}  // namespace

OutputRelay::OutputRelay(int destination) : destination_(destination) {
  make_pipe(read_fd_, write_fd_, O_NONBLOCK);
  try {
    make_pipe(wake_read_, wake_write_, 0);
  } catch (...) {
    ::close(read_fd_);
    ::close(write_fd_);
    throw;
  }
  thread_ = std::thread([this] { copy_loop(); });
}

OutputRelay::~OutputRelay() {
  char stop = 's';
  while (::write(wake_write_, &stop, 1) < 0 && errno == EINTR) {
  }
  thread_.join();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    drain_locked();
  }
  for (int fd : {read_fd_, write_fd_, wake_read_, wake_write_}) ::close(fd);
}

void OutputRelay::copy_loop() {
  while (true) {
    pollfd fds[2] = {{read_fd_, POLLIN, 0}, {wake_read_, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0 && errno != EINTR) return;
    if (fds[1].revents != 0) return;
    if (fds[0].revents != 0) {
      std::lock_guard<std::mutex> lock(mutex_);
      drain_locked();
    }
  }
}

void OutputRelay::drain_locked() {
  char buffer[16 * 1024];
  while (true) {
    ssize_t n = ::read(read_fd_, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nothing more for now (EAGAIN); EOF cannot happen while we hold write_fd_
    std::string_view chunk(buffer, static_cast<std::size_t>(n));
    if (holding_) {
      held_.append(chunk);
    } else {
      write_all(destination_, chunk);
    }
  }
}

void OutputRelay::flush() {
  std::lock_guard<std::mutex> lock(mutex_);
  drain_locked();
}

void OutputRelay::hold() {
  std::lock_guard<std::mutex> lock(mutex_);
  drain_locked();
  holding_ = true;
}

void OutputRelay::release(const std::function<bool(std::string_view line)>& keep) {
  std::lock_guard<std::mutex> lock(mutex_);
  drain_locked();
  holding_ = false;
  std::string kept;
  std::string_view rest = held_;
  while (!rest.empty()) {
    std::string_view line = rest.substr(0, rest.find('\n'));
    std::string_view with_newline = rest.substr(0, std::min(rest.size(), line.size() + 1));
    if (!keep || keep(line)) kept.append(with_newline);
    rest.remove_prefix(with_newline.size());
  }
  write_all(destination_, kept);
  held_.clear();
}

}  // namespace fdk::invoker
