// core::Invocation: one call as any transport hands it to the call core, and the Context
// built from it. Platform-neutral, no I/O. See core/call_core.hpp for the whole flow.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "fdk/config.hpp"
#include "fdk/context.hpp"
#include "fdk/headers.hpp"
#include "fdk/platform.hpp"

namespace fdk::detail {
/// The configuration of a Context that was given none (shared, never changed).
const std::shared_ptr<const Config>& empty_config();
}  // namespace fdk::detail

namespace fdk::core {

using SystemTime = std::chrono::system_clock::time_point;

/// The per-process facts about the function: a transport reads them once at start and
/// copies them into every Invocation.
struct FunctionIdentity {
  std::string app_id, app_name, fn_id, fn_name;
  /// The memory limit in MB, 0 when the platform does not say.
  int memory_mb = 0;
  /// The function's configuration; null means an empty one (and costs no allocation per call).
  std::shared_ptr<const Config> config;
};

/// Everything the handler's Context is made of, as the transport decoded it from its wire.
struct Invocation {
  Platform platform = Platform::fn;
  std::string call_id;
  /// When the caller gives up, already less any margin the transport keeps for itself.
  /// nullopt: the platform gives no deadline (the handler is never cut off).
  std::optional<SystemTime> deadline;
  /// The request headers as the transport received them (Context::headers()).
  Headers headers;
  std::string content_type;
  std::string body;
  /// The HTTP caller's view (method, URL, query, headers), when the call is an HTTP request.
  std::optional<GatewayRequest> gateway;
  /// The CloudEvent the request carries (HTTP hosts), if any.
  std::optional<CloudEvent> cloud_event;
  TracingContext tracing;
  PlatformAttributes platform_attributes;
  FunctionIdentity function;
};

/// Builds the handler's Context, taking over the invocation's fields; `invocation.body` is
/// left alone (the handler receives it separately). `cancelled` is the flag the transport
/// sets when it answers without the handler (deadline passed, caller gone).
[[nodiscard]] Context make_context(Invocation& invocation, std::shared_ptr<std::atomic<bool>> cancelled);

/// make_context into a Context where it will stay (the libuv server's call ticket): a Context
/// is some forty members, and each move of one shows on every call's path. `context` may be
/// one that served an earlier call (the server reuses a connection's ticket): every field is
/// replaced, nothing of the earlier call remains.
void fill_context(Context& context, Invocation& invocation, std::shared_ptr<std::atomic<bool>> cancelled);

/// Moves the request headers out of the Context of a call that is over, so that a transport
/// can parse its next request into their storage (http::MessageParser::reuse).
[[nodiscard]] Headers take_headers(Context& context) noexcept;

}  // namespace fdk::core
