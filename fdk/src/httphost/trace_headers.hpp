// Trace context from an HTTP host's request headers: W3C Trace Context (`traceparent`,
// `tracestate`) and Zipkin B3 (`X-B3-*`). No I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fdk/context.hpp"

namespace fdk::httphost {

/// The fields of a valid `traceparent` (W3C Trace Context level 1).
struct Traceparent {
  std::string trace_id;   ///< 32 lower-case hex digits, not all zero
  std::string parent_id;  ///< 16 lower-case hex digits, not all zero
  bool sampled = false;   ///< flags bit 0
};

/// Parses `00-<trace id>-<parent id>-<flags>`; a later version may append `-...`. Nothing for
/// version `ff`, upper-case hex, all-zero ids or any other shape.
[[nodiscard]] std::optional<Traceparent> parse_traceparent(std::string_view text);

/// `traceparent` when valid, else the B3 headers. `enabled` is true when either was sent.
[[nodiscard]] TracingContext tracing_from_headers(const Headers& headers, const std::string& service_name);

}  // namespace fdk::httphost
