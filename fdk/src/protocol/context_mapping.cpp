#include "protocol/context_mapping.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

#include "ascii.hpp"
#include "protocol/url.hpp"

namespace fdk::protocol {

namespace {

constexpr std::string_view kGatewayHeaderPrefix = "Fn-Http-H-";

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && iequals(text.substr(0, prefix.size()), prefix);
}

// The headers every call's mapping reads, each the first of its name (as Headers::find gives
// it), found in one pass: a search per header compared each name several times over.
struct CallHeaders {
  const std::string* call_id = nullptr;
  const std::string* deadline = nullptr;
  const std::string* content_type = nullptr;
  const std::string* intent = nullptr;
};

// The field of `found` for a header name, or nullptr for a name the mapping does not read.
// The length picks the one candidate, so a name is compared once at most.
const std::string** slot_for(CallHeaders& found, std::string_view name) {
  switch (name.size()) {
    case 9: return detail::ascii_iequals(name, "Fn-Intent") ? &found.intent : nullptr;
    case 10: return detail::ascii_iequals(name, "Fn-Call-Id") ? &found.call_id : nullptr;
    case 11: return detail::ascii_iequals(name, "Fn-Deadline") ? &found.deadline : nullptr;
    case 12: return detail::ascii_iequals(name, "Content-Type") ? &found.content_type : nullptr;
    default: return nullptr;
  }
}

CallHeaders call_headers(const Headers& headers) {
  CallHeaders found;
  for (const auto& [name, value] : headers) {
    const std::string** slot = slot_for(found, name);
    if (slot && !*slot) *slot = &value;
  }
  return found;
}

std::string value_or_empty(const std::string* value) { return value ? *value : std::string(); }

SystemTime deadline_of(const std::string* header, SystemTime now) {
  if (header) {
    if (auto parsed = parse_rfc3339(*header)) return *parsed;
  }
  return now + kDefaultCallTimeout;
}

GatewayRequest gateway_view(const Headers& headers) {
  GatewayRequest view;
  view.method = headers.get_or("Fn-Http-Method", "");
  view.request_url = headers.get_or("Fn-Http-Request-Url", "");
  view.path = url_path(view.request_url);
  view.query = parse_query(url_query(view.request_url));
  for (const auto& [name, value] : headers) {
    if (starts_with_ignoring_case(name, kGatewayHeaderPrefix)) {
      view.headers.add(name.substr(kGatewayHeaderPrefix.size()), value);
    } else if (iequals(name, "Content-Type")) {
      view.headers.add(name, value);  // the agent passes the caller's Content-Type un-prefixed
    }
  }
  return view;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// B3 headers arrive raw on invoke calls and prefixed on gateway calls.
std::string b3_header(const Headers& headers, std::string_view name) {
  if (const std::string* raw = headers.find(name)) return *raw;
  return headers.get_or(std::string(kGatewayHeaderPrefix) + std::string(name), "");
}

// B3 tracing, for when OCI tracing is on (env.tracing_enabled).
TracingContext tracing_of(const Headers& headers, const FunctionEnvironment& env) {
  TracingContext tracing;
  tracing.enabled = true;
  tracing.collector_url = env.trace_collector_url;
  tracing.service_name = lower(env.function.app_name + "::" + env.function.fn_name);
  tracing.trace_id = b3_header(headers, "X-B3-TraceId");
  tracing.span_id = b3_header(headers, "X-B3-SpanId");
  tracing.parent_span_id = b3_header(headers, "X-B3-ParentSpanId");
  tracing.flags = b3_header(headers, "X-B3-Flags");
  std::string sampled = b3_header(headers, "X-B3-Sampled");
  tracing.sampled = sampled == "1" || iequals(sampled, "true") || tracing.flags == "1";
  return tracing;
}

}  // namespace

core::Invocation to_invocation(RawRequest& request, const FunctionEnvironment& env, SystemTime now) {
  core::Invocation invocation;
  const Headers& headers = request.headers;
  const CallHeaders found = call_headers(headers);
  invocation.platform = Platform::fn;
  invocation.call_id = value_or_empty(found.call_id);
  invocation.deadline = deadline_of(found.deadline, now) - env.deadline_margin;
  invocation.content_type = value_or_empty(found.content_type);
  if (found.intent && detail::ascii_iequals(*found.intent, "httprequest")) invocation.gateway = gateway_view(headers);
  // Off, the default TracingContext is the answer: assigning one would move each of its strings.
  if (env.tracing_enabled) invocation.tracing = tracing_of(headers, env);
  invocation.function = env.function;
  invocation.headers = std::move(request.headers);  // last: everything above reads them
  invocation.body = std::move(request.body);
  return invocation;
}

std::string log_frame_line(const FunctionEnvironment& env, const Headers& request_headers) {
  if (env.log_frame_name.empty() || env.log_frame_header.empty()) return {};
  return "\n" + env.log_frame_name + "=" + request_headers.get_or(env.log_frame_header, "") + "\n";
}

}  // namespace fdk::protocol
