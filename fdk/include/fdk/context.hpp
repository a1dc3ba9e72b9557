// fdk::Context — everything a handler knows about the call it is serving.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fdk/config.hpp"
#include "fdk/export.hpp"
#include "fdk/headers.hpp"
#include "fdk/platform.hpp"

namespace fdk {

namespace detail {
struct ContextAccess;
}

/// The HTTP-gateway view of a call that came through an HTTP trigger or API gateway:
/// the caller's method, URL, query and headers, with the `Fn-Http-` prefixes removed.
struct FDK_API GatewayRequest {
  /// The caller's method (`GET`, `PUT`, ...).
  std::string method;
  /// The caller's URL as Fn passes it (absolute, query string raw).
  std::string request_url;
  /// The path of `request_url` without query string, percent-decoding not applied.
  std::string path;
  /// The query string parsed into (name, value) pairs, percent-decoded, in order.
  std::vector<std::pair<std::string, std::string>> query;
  /// The caller's headers (`Fn-Http-H-Accept` arrives here as `Accept`).
  Headers headers;
  /// `http` or `https` as the caller used it (HTTP hosts: from `X-Forwarded-Proto` or
  /// `Forwarded`; empty on Fn).
  std::string scheme;
  /// The caller's `Host` (HTTP hosts and stdio; empty on Fn).
  std::string host;
  /// The query string as sent, not decoded (HTTP hosts and stdio; empty on Fn).
  std::string raw_query;

  /// The first value of query parameter `name`, or `fallback`.
  [[nodiscard]] std::string query_value(std::string_view name, std::string_view fallback = {}) const;
};

/// Tracing context. On Fn: Zipkin B3, filled when `OCI_TRACING_ENABLED` is `1` or `true`.
/// On HTTP hosts (Knative, Cloud Run, OpenFaaS): W3C `traceparent`/`tracestate` and B3
/// headers, `enabled` when the caller sent either.
struct FDK_API TracingContext {
  bool enabled = false;
  std::string collector_url;  ///< `OCI_TRACE_COLLECTOR_URL`
  std::string service_name;   ///< lower-cased `<app name>::<fn name>`
  std::string trace_id;       ///< `X-B3-TraceId`
  std::string span_id;        ///< `X-B3-SpanId`
  std::string parent_span_id; ///< `X-B3-ParentSpanId`
  bool sampled = false;       ///< `X-B3-Sampled` is `1`/`true`, or `X-B3-Flags` is `1`
  std::string flags;          ///< `X-B3-Flags`
  std::string traceparent;    ///< W3C `traceparent` as received (HTTP hosts), else empty
  std::string tracestate;     ///< W3C `tracestate` as received (HTTP hosts), else empty
};

/// A CloudEvent (https://cloudevents.io) that reached an HTTP host in binary mode (`ce-*`
/// headers, the body is the data) or structured mode (`application/cloudevents+json` body).
struct FDK_API CloudEvent {
  std::string id;
  std::string source;
  std::string type;
  std::string specversion;
  std::string time;             ///< as sent (RFC 3339), or empty
  std::string subject;          ///< or empty
  std::string dataschema;       ///< or empty
  std::string datacontenttype;  ///< binary mode: the request's Content-Type
  /// Extension attributes (`ce-traceparent` → `traceparent`): binary mode in header order,
  /// structured mode by name; values that are not JSON strings as JSON text.
  std::vector<std::pair<std::string, std::string>> extensions;
  /// True for structured mode: the body is the whole event and `data` holds its data.
  bool structured = false;
  /// Structured mode only: the event's `data` (JSON text, or the string itself when `data` is a
  /// JSON string), or `data_base64` as sent. In binary mode the request body is the data.
  std::string data;
};

/// Facts a platform gives about a call beyond the common ones, by name (for example Lambda's
/// `invoked_function_arn`). Empty on Fn.
using PlatformAttributes = std::map<std::string, std::string, std::less<>>;

/// What a handler knows about its call. Built by the FDK for every call; a handler
/// receives it by reference and may keep copies of any value it returns.
///
/// @code
///   fdk::Response handler(fdk::Context& ctx, std::string_view body) {
///     if (ctx.is_gateway() && ctx.gateway().method != "POST") throw fdk::HttpError(405, "POST only");
///     std::cerr << ctx.call_id() << ": " << ctx.time_remaining().count() << " ms left\n";
///     ...
///   }
/// @endcode
class FDK_API Context {
 public:
  using Clock = std::chrono::system_clock;

  /// What `deadline()` returns for a call without a deadline: 2200-01-01T00:00:00Z, far
  /// enough to never arrive, near enough that adding it to or subtracting it from "now" cannot
  /// overflow the clock.
  static constexpr Clock::time_point kNoDeadline{std::chrono::seconds(7258118400)};

  Context();

  /// `Fn-Call-Id`: the unique id of this call.
  [[nodiscard]] const std::string& call_id() const noexcept { return call_id_; }
  /// When the caller gives up on this call (`Fn-Deadline` on Fn); `kNoDeadline` when the
  /// platform gives no deadline (see `has_deadline()`).
  [[nodiscard]] Clock::time_point deadline() const noexcept { return deadline_; }
  /// False when the platform gives this call no deadline (a plain HTTP host without a
  /// configured timeout). Always true on Fn.
  [[nodiscard]] bool has_deadline() const noexcept { return has_deadline_; }
  /// Time left until the deadline; zero once it has passed. Without a deadline, the time
  /// until `kNoDeadline` (over 170 years): check `has_deadline()` before handing it to an API
  /// that stores timeouts in a narrow type.
  [[nodiscard]] std::chrono::milliseconds time_remaining() const;
  /// True once the deadline has passed (the caller already got 504): stop work and return.
  /// Without a deadline it turns true only if the FDK abandons the call.
  [[nodiscard]] bool cancelled() const;

  /// The platform that delivered this call.
  [[nodiscard]] Platform platform() const noexcept { return platform_; }
  /// Every platform attribute of this call (read-only).
  [[nodiscard]] const PlatformAttributes& platform_attributes() const noexcept { return platform_attributes_; }
  /// One platform attribute, or empty when the platform did not give it.
  [[nodiscard]] std::string platform_attribute(std::string_view name) const;

  [[nodiscard]] const std::string& app_id() const noexcept { return app_id_; }
  [[nodiscard]] const std::string& app_name() const noexcept { return app_name_; }
  [[nodiscard]] const std::string& fn_id() const noexcept { return fn_id_; }
  [[nodiscard]] const std::string& fn_name() const noexcept { return fn_name_; }
  /// The function's memory limit in MB. Fn: `FN_MEMORY` (default 128). Lambda:
  /// `AWS_LAMBDA_FUNCTION_MEMORY_SIZE`. HTTP hosts and stdio: the container's cgroup limit
  /// (`memory.max`, or cgroup v1's `memory.limit_in_bytes`). 0 when the platform sets none.
  [[nodiscard]] int memory_mb() const noexcept { return memory_mb_; }

  /// Every request header as the agent sent it (case-insensitive, multi-valued).
  [[nodiscard]] const Headers& headers() const noexcept { return headers_; }
  /// The request's `Content-Type`, or empty.
  [[nodiscard]] const std::string& content_type() const noexcept { return content_type_; }
  /// The function's configuration (application and function config).
  [[nodiscard]] const Config& config() const noexcept { return *config_; }

  /// True when the call came through an HTTP trigger / API gateway (`Fn-Intent: httprequest`).
  [[nodiscard]] bool is_gateway() const noexcept { return is_gateway_; }
  /// The caller's method, URL, query and headers; empty fields for a plain invoke.
  [[nodiscard]] const GatewayRequest& gateway() const noexcept { return gateway_; }
  /// B3 tracing context (`enabled` false unless OCI tracing is on).
  [[nodiscard]] const TracingContext& tracing() const noexcept { return tracing_; }
  /// The CloudEvent this call carries, on HTTP hosts (Knative Eventing, Cloud Run
  /// triggers); empty otherwise and on Fn.
  [[nodiscard]] const std::optional<CloudEvent>& cloud_event() const noexcept { return cloud_event_; }

 private:
  friend struct detail::ContextAccess;

  std::string call_id_;
  Clock::time_point deadline_;
  bool has_deadline_ = true;
  Platform platform_ = Platform::fn;
  PlatformAttributes platform_attributes_;
  std::shared_ptr<std::atomic<bool>> cancelled_;
  std::string app_id_, app_name_, fn_id_, fn_name_;
  int memory_mb_ = 128;
  Headers headers_;
  std::string content_type_;
  std::shared_ptr<const Config> config_;
  bool is_gateway_ = false;
  GatewayRequest gateway_;
  TracingContext tracing_;
  std::optional<CloudEvent> cloud_event_;
};

}  // namespace fdk
