// Capturing what code writes to file descriptor 2, for tests of log output.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <functional>
#include <string>

namespace fdk::test {

/// Runs `action` with stderr sent to a temporary file and returns what it wrote.
inline std::string capture_stderr(const std::function<void()>& action) {
  std::fflush(stderr);
  std::FILE* file = std::tmpfile();
  int saved = ::dup(STDERR_FILENO);
  ::dup2(::fileno(file), STDERR_FILENO);
  try {
    action();
  } catch (...) {
    ::dup2(saved, STDERR_FILENO);
    ::close(saved);
    std::fclose(file);
    throw;
  }
  std::fflush(stderr);
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  std::string text;
  std::rewind(file);
  char buffer[4096];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
  std::fclose(file);
  return text;
}

}  // namespace fdk::test
