#include "core/invocation.hpp"

namespace fdk {

// Defined here, with the code that fills a Context, rather than beside Context(): a shared
// libfdk-testing or libfdk-oci links its own copy of this layer, and could not reach a hidden
// function of libfdk.so's public classes.
const std::shared_ptr<const Config>& detail::empty_config() {
  static const auto config = std::make_shared<const Config>();
  return config;
}

namespace detail {
// The one place allowed to fill a Context's private fields.
struct ContextAccess {
  static void fill(Context& ctx, core::Invocation& invocation, std::shared_ptr<std::atomic<bool>> cancelled);
  static Headers take_headers(Context& ctx) noexcept { return std::move(ctx.headers_); }
};
}  // namespace detail

void detail::ContextAccess::fill(Context& ctx, core::Invocation& invocation,
                                 std::shared_ptr<std::atomic<bool>> cancelled) {
  ctx.call_id_ = std::move(invocation.call_id);
  ctx.has_deadline_ = invocation.deadline.has_value();
  ctx.deadline_ = invocation.deadline.value_or(Context::kNoDeadline);
  ctx.cancelled_ = std::move(cancelled);
  ctx.platform_ = invocation.platform;
  ctx.platform_attributes_ = std::move(invocation.platform_attributes);
  core::FunctionIdentity& function = invocation.function;
  ctx.app_id_ = std::move(function.app_id);
  ctx.app_name_ = std::move(function.app_name);
  ctx.fn_id_ = std::move(function.fn_id);
  ctx.fn_name_ = std::move(function.fn_name);
  ctx.memory_mb_ = function.memory_mb;
  ctx.config_ = function.config ? std::move(function.config) : detail::empty_config();
  ctx.content_type_ = std::move(invocation.content_type);
  if (invocation.gateway) {
    ctx.gateway_ = std::move(*invocation.gateway);
  } else if (ctx.is_gateway_) {
    ctx.gateway_ = GatewayRequest{};  // a reused Context's earlier call came through a gateway
  }
  ctx.is_gateway_ = invocation.gateway.has_value();
  ctx.cloud_event_ = std::move(invocation.cloud_event);
  ctx.tracing_ = std::move(invocation.tracing);
  ctx.headers_ = std::move(invocation.headers);
}

namespace core {

Context make_context(Invocation& invocation, std::shared_ptr<std::atomic<bool>> cancelled) {
  Context ctx;
  fill_context(ctx, invocation, std::move(cancelled));
  return ctx;
}

void fill_context(Context& context, Invocation& invocation, std::shared_ptr<std::atomic<bool>> cancelled) {
  detail::ContextAccess::fill(context, invocation, std::move(cancelled));
}

Headers take_headers(Context& context) noexcept { return detail::ContextAccess::take_headers(context); }

}  // namespace core

}  // namespace fdk
