#include "version_flag.hpp"

#include <cstdio>

#include "fdk/version.hpp"
#include "small_file.hpp"

namespace fdk::detail {

std::string version_line() { return std::string("fdk-cpp ") + kVersion + " (" + FDK_COMPILER_TAG + ")"; }

std::optional<int> answer_version_flag(const std::vector<std::string>& arguments) {
  if (arguments.empty() || arguments.front() != "--version") return std::nullopt;
  std::string line = version_line() + "\n";
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
  return 0;
}

std::vector<std::string> process_arguments() {
  // NUL-separated argv, program name first; unreadable (no /proc) means no arguments.
  std::string text = read_small_file("/proc/self/cmdline").value_or("");
  std::vector<std::string> arguments;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\0', start);
    if (end == std::string::npos) end = text.size();
    arguments.emplace_back(text, start, end - start);
    start = end + 1;
  }
  if (!arguments.empty()) arguments.erase(arguments.begin());
  return arguments;
}

}  // namespace fdk::detail
