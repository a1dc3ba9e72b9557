#include "httphost/request_mapping.hpp"

#include "duration.hpp"
#include "httphost/call_id.hpp"
#include "httphost/cloud_event.hpp"
#include "httphost/forwarded.hpp"
#include "httphost/trace_headers.hpp"
#include "core/call_core.hpp"
#include "protocol/url.hpp"

namespace fdk::httphost {

namespace {

bool is_absolute_form(const std::string& target) { return target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0; }

GatewayRequest gateway_view(const protocol::RawRequest& request) {
  GatewayRequest view;
  view.method = request.method;
  view.scheme = request_scheme(request.headers);
  view.host = request.headers.get_or("Host", "");
  std::string target = http::origin_form(request.target);
  view.request_url = is_absolute_form(request.target)
                         ? request.target
                         : view.scheme + "://" + (view.host.empty() ? "localhost" : view.host) + target;
  view.path = protocol::url_path(target);
  view.raw_query = std::string(protocol::url_query(target));
  view.query = protocol::parse_query(view.raw_query);
  view.headers = request.headers;
  return view;
}

std::optional<protocol::SystemTime> deadline_of(const Headers& headers, const HostEnvironment& host,
                                                const protocol::FunctionEnvironment& env, protocol::SystemTime now) {
  auto timeout = call_timeout(headers, host);
  if (!timeout) return std::nullopt;
  return now + *timeout - env.deadline_margin;
}

}  // namespace

std::optional<std::chrono::milliseconds> call_timeout(const Headers& headers, const HostEnvironment& host) {
  if (auto header = headers.get("X-Timeout")) {
    auto requested = detail::parse_timeout(*header);
    if (requested && requested->count() > 0) {
      return host.watchdog_timeout ? std::min(*requested, *host.watchdog_timeout) : *requested;
    }
  }
  if (host.watchdog_timeout) return host.watchdog_timeout;
  return host.default_timeout;
}

std::optional<protocol::Outcome> accept_http_request(protocol::RawRequest&& request, const HostEnvironment& host,
                                                    const protocol::FunctionEnvironment& env,
                                                    const protocol::ParserLimits& limits, protocol::SystemTime now,
                                                    protocol::PreparedCall& call) {
  TracingContext tracing = tracing_from_headers(request.headers, host.service);
  std::string call_id = call_id_of(request.headers, tracing);
  if (request.body_too_large) {
    return protocol::to_outcome(core::too_large_result(call_id, request.body_bytes_seen, limits.max_body_bytes),
                                request.method == "HEAD");
  }
  core::Invocation invocation;
  invocation.platform = Platform::http;
  invocation.platform_attributes = host.platform_attributes();
  invocation.call_id = std::move(call_id);
  invocation.deadline = deadline_of(request.headers, host, env, now);
  invocation.function.fn_name = host.service;
  invocation.function.app_name = host.configuration;
  invocation.function.memory_mb = env.function.memory_mb;
  invocation.function.config = env.function.config;
  invocation.content_type = request.headers.get_or("Content-Type", "");
  invocation.gateway = gateway_view(request);
  invocation.tracing = std::move(tracing);
  invocation.cloud_event = cloud_event_of(request.headers, invocation.content_type, request.body);
  invocation.headers = std::move(request.headers);
  invocation.body = std::move(request.body);
  protocol::arm_cancel_flag(call);
  core::fill_context(call.context, invocation, call.cancelled);
  call.body = std::move(invocation.body);
  return std::nullopt;
}

std::variant<protocol::Outcome, protocol::PreparedCall> accept_http_request(protocol::RawRequest&& request,
                                                                            const HostEnvironment& host,
                                                                            const protocol::FunctionEnvironment& env,
                                                                            const protocol::ParserLimits& limits,
                                                                            protocol::SystemTime now) {
  return protocol::accepted_value([&](protocol::PreparedCall& call) {
    return accept_http_request(std::move(request), host, env, limits, now, call);
  });
}

}  // namespace fdk::httphost
