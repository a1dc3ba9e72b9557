#include "platform/memory_limit.hpp"

#include <climits>

#include "small_file.hpp"

namespace fdk::platform {

namespace {

constexpr unsigned long long kBytesPerMb = 1024ULL * 1024ULL;

}  // namespace

int memory_limit_mb(std::string_view file_text) noexcept {
  while (!file_text.empty() && (file_text.back() == '\n' || file_text.back() == ' ')) file_text.remove_suffix(1);
  if (file_text.empty() || file_text.size() > 20) return 0;  // "max", or garbage, has letters anyway
  unsigned long long bytes = 0;
  for (char c : file_text) {
    if (c < '0' || c > '9') return 0;
    unsigned digit = static_cast<unsigned>(c - '0');
    if (bytes > (ULLONG_MAX - digit) / 10) return 0;
    bytes = bytes * 10 + digit;
  }
  unsigned long long mb = bytes / kBytesPerMb;
  // v1 writes "no limit" as the largest page-aligned value, which is no real container's size.
  return mb > static_cast<unsigned long long>(INT_MAX) ? 0 : static_cast<int>(mb);
}

int read_memory_limit_mb(const std::string& cgroup_root) {
  // No such file: not this cgroup version here.
  if (auto text = detail::read_small_file(cgroup_root + "/memory.max")) return memory_limit_mb(*text);
  if (auto text = detail::read_small_file(cgroup_root + "/memory/memory.limit_in_bytes")) return memory_limit_mb(*text);
  return 0;
}

}  // namespace fdk::platform
