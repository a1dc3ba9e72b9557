#include "httphost/call_id.hpp"

#include <random>

namespace fdk::httphost {

std::string generate_call_id() {
  // Per thread, seeded once: ids need to be unique, not secret.
  thread_local std::mt19937_64 generator{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int word = 0; word < 2; ++word) {
    std::uint64_t bits = generator();
    for (int digit = 0; digit < 16; ++digit, bits >>= 4) id.push_back(kHex[bits & 0xf]);
  }
  return id;
}

std::string call_id_of(const Headers& headers, const TracingContext& tracing) {
  for (const char* name : {"X-Call-Id", "X-Request-Id"}) {
    auto value = headers.get(name);
    if (value && !value->empty()) return *value;
  }
  if (!tracing.traceparent.empty()) return tracing.trace_id;
  return generate_call_id();
}

}  // namespace fdk::httphost
