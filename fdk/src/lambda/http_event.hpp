// AWS HTTP events (API Gateway HTTP API and function URLs, payload 2.0; API Gateway REST,
// payload 1.0; Application Load Balancer): the caller's request out of the event, and the
// handler's Response into the JSON those services expect back. No I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fdk/context.hpp"
#include "fdk/response.hpp"

namespace fdk::lambda {

enum class EventShape {
  api_gateway_v2,  ///< `"version": "2.0"` (HTTP APIs, function URLs)
  api_gateway_v1,  ///< `httpMethod` without `requestContext.elb` (REST APIs)
  alb,             ///< `requestContext.elb`
};

/// The caller's request carried by an HTTP event.
struct HttpEvent {
  EventShape shape = EventShape::api_gateway_v2;
  GatewayRequest gateway;
  /// The request body, base64-decoded when the event says `isBase64Encoded`.
  std::string body;
  /// The event used `multiValueHeaders` (REST, or ALB with multi-value headers on): the
  /// answer must use them too.
  bool multi_value_headers = false;
  /// Non-empty when the event is an HTTP event that cannot be served (a body that is not
  /// base64 although marked so): the caller should get 400 with this sentence.
  std::string problem;
};

/// The HTTP event in `event_json`, or nothing when it is a raw event (any other JSON, or
/// not JSON at all): the handler then gets the event itself as its body.
[[nodiscard]] std::optional<HttpEvent> read_http_event(std::string_view event_json);

/// The JSON a service of `shape` expects for `response`: `statusCode`, headers (`cookies`
/// for Set-Cookie in 2.0, `multiValueHeaders` when the request used them), the body, and
/// `isBase64Encoded` for a body that is not text.
[[nodiscard]] std::string http_event_answer(const HttpEvent& request, const Response& response);

/// True when a body of this content type is text the service can carry as a JSON string
/// (text/*, JSON, XML, JavaScript, form data); other bodies travel base64-encoded.
[[nodiscard]] bool is_text_content_type(std::string_view content_type);

}  // namespace fdk::lambda
