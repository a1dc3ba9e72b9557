// libFuzzer target for HTTP dates (IMF-fixdate) and RFC 3339 timestamps: parsing never
// crashes or overflows, and every accepted date formats back to itself.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/date.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto when = fdk::http::parse_http_date(text)) {
    const std::string formatted = fdk::http::format_http_date(*when);
    const auto again = fdk::http::parse_http_date(formatted);
    if (!again || *again != *when) std::abort();
  }
  if (const auto when = fdk::http::parse_rfc3339(text)) {
    const auto again = fdk::http::parse_rfc3339(fdk::http::format_rfc3339(*when));
    // Formatting keeps milliseconds: the round trip may only lose the finer digits.
    if (!again || *when - *again >= std::chrono::milliseconds(1) || *again > *when) std::abort();
    (void)fdk::http::format_http_date(*when);
  }
  return 0;
}
