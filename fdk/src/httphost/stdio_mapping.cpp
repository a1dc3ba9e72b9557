#include "httphost/stdio_mapping.hpp"

#include "httphost/call_id.hpp"
#include "httphost/cloud_event.hpp"
#include "httphost/forwarded.hpp"
#include "httphost/response_rendering.hpp"
#include "httphost/trace_headers.hpp"
#include "core/invocation.hpp"
#include "protocol/url.hpp"

namespace fdk::httphost {

namespace {

constexpr std::string_view kPrefix = "Http_";

bool describes_request_line(std::string_view name) {
  for (std::string_view special : {"Method", "Path", "Query", "Host", "ContentLength", "Content_Length",
                                   "Transfer_Encoding"}) {
    if (name == special) return true;
  }
  return false;
}

GatewayRequest gateway_view(const Config& config, const Headers& headers) {
  GatewayRequest view;
  view.method = config.get_or("Http_Method", "");
  view.scheme = request_scheme(headers);
  view.host = config.get_or("Http_Host", "");
  std::string path = config.get_or("Http_Path", "");
  if (path.empty() || path.front() != '/') path.insert(0, "/");
  view.path = path;
  view.raw_query = config.get_or("Http_Query", "");
  view.query = protocol::parse_query(view.raw_query);
  view.request_url = view.scheme + "://" + (view.host.empty() ? "localhost" : view.host) + path +
                     (view.raw_query.empty() ? "" : "?" + view.raw_query);
  view.headers = headers;
  return view;
}

}  // namespace

int stdio_exit_status(const protocol::Outcome& outcome) {
  return wire_status(outcome) < 400 ? kStdioExitOk : kStdioExitFailed;
}

Headers headers_from_environment(const Config& config) {
  Headers headers;
  for (const auto& [name, value] : config.entries()) {
    if (name.size() <= kPrefix.size() || name.compare(0, kPrefix.size(), kPrefix) != 0) continue;
    std::string header = name.substr(kPrefix.size());
    if (describes_request_line(header)) continue;
    for (char& c : header) {
      if (c == '_') c = '-';
    }
    headers.add(std::move(header), value);
  }
  return headers;
}

protocol::PreparedCall stdio_call(const Config& config, const protocol::FunctionEnvironment& env,
                                  std::optional<std::chrono::milliseconds> timeout, std::string body,
                                  protocol::SystemTime now) {
  Headers headers = headers_from_environment(config);
  core::Invocation invocation;
  invocation.platform = Platform::stdio;
  // The of-watchdog names its mode (serializing); the classic watchdog sets nothing.
  if (auto mode = config.get("mode"); mode && !mode->empty()) invocation.platform_attributes.emplace("watchdog_mode", *mode);
  invocation.tracing = tracing_from_headers(headers, "");
  invocation.call_id = call_id_of(headers, invocation.tracing);
  if (timeout) invocation.deadline = now + *timeout - env.deadline_margin;
  invocation.function.config = env.function.config;
  invocation.function.memory_mb = env.function.memory_mb;
  invocation.content_type = headers.get_or("Content-Type", "");
  invocation.gateway = gateway_view(config, headers);
  invocation.cloud_event = cloud_event_of(headers, invocation.content_type, body);
  invocation.headers = std::move(headers);
  protocol::PreparedCall call;
  protocol::arm_cancel_flag(call);
  call.context = core::make_context(invocation, call.cancelled);
  call.body = std::move(body);
  return call;
}

}  // namespace fdk::httphost
