#include "runtime/log.hpp"

#include <stdio_ext.h>
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

namespace {

// Whether `stream` holds bytes not yet written. glibc's FILE is public (its putc macros use these
// fields) and for a byte-oriented stream this is exactly what __fpending computes; reading the
// fields directly keeps the per-call path out of the 64 KiB of libc code around __fpending,
// which nothing else a call does touches (docs/benchmarks.md, "RSS after load"). A wide stream
// and other C libraries ask __fpending.
bool output_pending(std::FILE* stream) noexcept {
#if defined(__GLIBC__)
  if (stream->_mode <= 0) return stream->_IO_write_ptr > stream->_IO_write_base;
#endif
  return __fpending(stream) > 0;
}

// fflush takes the stream's lock and syncs it even when nothing is buffered, and most calls
// print nothing.
void flush_if_pending(std::FILE* stream) noexcept {
  if (output_pending(stream)) std::fflush(stream);
}

}  // namespace

void flush_handler_output() noexcept {
  flush_standard_streams();  // first: an unsynchronised stream writes to the descriptor itself
  flush_if_pending(stdout);
  flush_if_pending(stderr);
}

void write_log_frame(std::string_view frame) noexcept {
  // Flush what the previous call left first, so it is not attributed to this call.
  flush_handler_output();
  write_all(STDOUT_FILENO, frame);
  write_all(STDERR_FILENO, frame);
}

}  // namespace fdk::runtime
