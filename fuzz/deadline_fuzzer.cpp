// libFuzzer target for the Fn-Deadline parser: any header value parses or is refused, and
// the result is always safe to compare and subtract with the current time.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol/deadline.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto deadline = fdk::protocol::parse_rfc3339(text)) {
    const auto now = std::chrono::system_clock::now();
    const auto left = *deadline - now;  // what the runtime computes for every call
    if (*deadline < fdk::protocol::SystemTime{}) std::abort();
    if ((left > std::chrono::hours(0)) != (*deadline > now)) std::abort();
    (void)fdk::protocol::format_rfc3339(*deadline);
  }
  return 0;
}
