#include "httphost/request_mapping.hpp"

#include "duration.hpp"
#include "httphost/call_id.hpp"
#include "httphost/cloud_event.hpp"
#include "httphost/forwarded.hpp"
#include "httphost/trace_headers.hpp"
#include "protocol/context_access.hpp"
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

protocol::SystemTime deadline_of(const Headers& headers, const HostEnvironment& host,
                                 const protocol::FunctionEnvironment& env, protocol::SystemTime now) {
  auto timeout = call_timeout(headers, host);
  if (!timeout) return protocol::kNoDeadline;
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

std::variant<protocol::Outcome, protocol::PreparedCall> accept_http_request(protocol::RawRequest&& request,
                                                                            const HostEnvironment& host,
                                                                            const protocol::FunctionEnvironment& env,
                                                                            const protocol::ParserLimits& limits,
                                                                            protocol::SystemTime now) {
  TracingContext tracing = tracing_from_headers(request.headers, host.service);
  std::string call_id = call_id_of(request.headers, tracing);
  if (request.body_too_large) {
    auto refused = protocol::too_large_outcome(call_id, request.body_bytes_seen, limits.max_body_bytes);
    refused.omit_body = request.method == "HEAD";
    return refused;
  }
  protocol::PreparedCall call;
  call.cancelled = std::make_shared<std::atomic<bool>>(false);
  detail::ContextFields fields;
  fields.call_id = std::move(call_id);
  fields.deadline = deadline_of(request.headers, host, env, now);
  fields.cancelled = call.cancelled;
  fields.fn_name = host.service;
  fields.app_name = host.configuration;
  fields.content_type = request.headers.get_or("Content-Type", "");
  fields.config = env.config;
  fields.is_gateway = true;
  fields.gateway = gateway_view(request);
  fields.tracing = std::move(tracing);
  fields.cloud_event = cloud_event_of(request.headers, fields.content_type, request.body);
  fields.headers = std::move(request.headers);
  call.context = detail::ContextAccess::assemble(std::move(fields));
  call.body = std::move(request.body);
  return call;
}

}  // namespace fdk::httphost
