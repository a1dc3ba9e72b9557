#include "runtime/log.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>

#include "runtime/standard_streams.hpp"

namespace fdk::runtime {

void write_all(int fd, std::string_view text) noexcept {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the log is gone; nothing useful left to do
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

void write_stderr_line(std::string_view line) noexcept {
  try {
    std::string buffer;
    buffer.reserve(line.size() + 1);
    buffer.append(line).push_back('\n');
    write_all(STDERR_FILENO, buffer);
  } catch (...) {
    write_all(STDERR_FILENO, line);
    write_all(STDERR_FILENO, "\n");
  }
}

void flush_handler_output() noexcept {
  flush_standard_streams();  // first: an unsynchronised stream writes to the descriptor itself
  std::fflush(stdout);
  std::fflush(stderr);
}

void write_log_frame(std::string_view frame) noexcept {
  // Flush what the previous call left first, so it is not attributed to this call.
  flush_handler_output();
  write_all(STDOUT_FILENO, frame);
  write_all(STDERR_FILENO, frame);
}

}  // namespace fdk::runtime
