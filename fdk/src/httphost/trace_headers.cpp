#include "httphost/trace_headers.hpp"

namespace fdk::httphost {

namespace {

bool is_lower_hex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool all_zero(std::string_view text) { return text.find_first_not_of('0') == std::string_view::npos; }

}  // namespace

std::optional<Traceparent> parse_traceparent(std::string_view text) {
  // version(2) - trace id(32) - parent id(16) - flags(2) = 55 characters.
  constexpr std::size_t kLength = 55;
  if (text.size() < kLength || text[2] != '-' || text[35] != '-' || text[52] != '-') return std::nullopt;
  std::string_view version = text.substr(0, 2), trace_id = text.substr(3, 32), parent_id = text.substr(36, 16),
                   flags = text.substr(53, 2);
  if (!is_lower_hex(version) || version == "ff" || !is_lower_hex(trace_id) || !is_lower_hex(parent_id) ||
      !is_lower_hex(flags) || all_zero(trace_id) || all_zero(parent_id)) {
    return std::nullopt;
  }
  // Version 00 is exactly 55 characters; a later version may carry more after a dash.
  if (text.size() > kLength && (version == "00" || text[kLength] != '-')) return std::nullopt;
  Traceparent parsed;
  parsed.trace_id = std::string(trace_id);
  parsed.parent_id = std::string(parent_id);
  int flag_bits = std::stoi(std::string(flags), nullptr, 16);
  parsed.sampled = (flag_bits & 1) != 0;
  return parsed;
}

TracingContext tracing_from_headers(const Headers& headers, const std::string& service_name) {
  TracingContext tracing;
  tracing.service_name = service_name;
  if (auto traceparent = headers.get("traceparent")) {
    if (auto parsed = parse_traceparent(*traceparent)) {
      tracing.enabled = true;
      tracing.traceparent = *traceparent;
      tracing.tracestate = headers.get_or("tracestate", "");
      tracing.trace_id = parsed->trace_id;
      tracing.span_id = parsed->parent_id;
      tracing.sampled = parsed->sampled;
      return tracing;
    }
  }
  tracing.trace_id = headers.get_or("X-B3-TraceId", "");
  if (tracing.trace_id.empty()) return tracing;
  tracing.enabled = true;
  tracing.span_id = headers.get_or("X-B3-SpanId", "");
  tracing.parent_span_id = headers.get_or("X-B3-ParentSpanId", "");
  tracing.flags = headers.get_or("X-B3-Flags", "");
  std::string sampled = headers.get_or("X-B3-Sampled", "");
  tracing.sampled = sampled == "1" || iequals(sampled, "true") || tracing.flags == "1";
  return tracing;
}

}  // namespace fdk::httphost
