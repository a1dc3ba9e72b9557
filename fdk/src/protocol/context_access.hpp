// The one place allowed to fill a Context's private fields: the Fn mapping and the HTTP-host
// and stdio mappings build their Contexts through it. No I/O.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "fdk/context.hpp"
#include "protocol/deadline.hpp"
#include "protocol/function_environment.hpp"
#include "protocol/message_parser.hpp"

namespace fdk::detail {

/// Everything a Context holds, for mappings other than Fn's (HTTP hosts, stdio).
struct ContextFields {
  // Which call, and until when.
  std::string call_id;
  protocol::SystemTime deadline;
  std::shared_ptr<std::atomic<bool>> cancelled;

  // What the caller sent.
  Headers headers;
  std::string content_type;
  bool is_gateway = false;
  GatewayRequest gateway;
  std::optional<CloudEvent> cloud_event;
  TracingContext tracing;

  // The function, as the platform names it.
  std::string app_name, fn_name;
  int memory_mb = 0;
  std::shared_ptr<const Config> config;
};

struct ContextAccess {
  /// Fn: from the agent's request headers (taken over; the body is left alone).
  static Context build(protocol::RawRequest& request, const protocol::FunctionEnvironment& env,
                       protocol::SystemTime now, std::shared_ptr<std::atomic<bool>> cancelled);
  static Context assemble(ContextFields&& fields);
};

}  // namespace fdk::detail
