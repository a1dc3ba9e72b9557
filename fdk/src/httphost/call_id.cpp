#include "httphost/call_id.hpp"

#include <atomic>
#include <cstdint>
#include <random>

namespace fdk::httphost {

namespace {

// Ids need to be unique, not secret: one counter for the process, started at a random point, and
// splitmix64's mixing of each count, which is a bijection, so an id never repeats within the
// process. (A thread_local std::mt19937_64 put 2.5 KiB of thread-local storage into every thread
// the process starts, handler threads included, for a generator only HTTP hosts use.)
std::uint64_t next_word() {
  static std::atomic<std::uint64_t> counter{[] {
    std::random_device seed;
    return (std::uint64_t{seed()} << 32) ^ seed();
  }()};
  std::uint64_t z = counter.fetch_add(0x9e3779b97f4a7c15, std::memory_order_relaxed) + 0x9e3779b97f4a7c15;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

}  // namespace

std::string generate_call_id() {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int word = 0; word < 2; ++word) {
    std::uint64_t bits = next_word();
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
