#include "fdk/context.hpp"

#include "core/invocation.hpp"

namespace fdk {

// Every call's Context starts as a default one before the FDK fills it in: sharing one empty
// configuration, and having no cancel flag until the FDK gives it one, keeps that free of
// allocations.
Context::Context() : deadline_(Clock::now() + std::chrono::seconds(30)), config_(detail::empty_config()) {}

std::chrono::milliseconds Context::time_remaining() const {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
  return left.count() > 0 ? left : std::chrono::milliseconds(0);
}

bool Context::cancelled() const {
  if (cancelled_ && cancelled_->load(std::memory_order_acquire)) return true;
  return has_deadline_ && Clock::now() >= deadline_;
}

std::string Context::platform_attribute(std::string_view name) const {
  auto found = platform_attributes_.find(name);
  return found == platform_attributes_.end() ? std::string() : found->second;
}

std::string GatewayRequest::query_value(std::string_view name, std::string_view fallback) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return std::string(fallback);
}

}  // namespace fdk
