// HTTP hosts' header parsers: timeouts, W3C traceparent, Forwarded, CloudEvents, call ids.
#include <doctest/doctest.h>

#include "duration.hpp"
#include "httphost/call_id.hpp"
#include "httphost/cloud_event.hpp"
#include "httphost/forwarded.hpp"
#include "httphost/trace_headers.hpp"

using namespace fdk;
using namespace fdk::httphost;
using namespace std::chrono_literals;

namespace {
constexpr const char* kTraceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
}

TEST_CASE("timeouts read the way Go and OpenFaaS write them") {
  using detail::parse_timeout;
  CHECK(parse_timeout("10s") == 10000ms);
  CHECK(parse_timeout("1.5s") == 1500ms);
  CHECK(parse_timeout("1m30s") == 90000ms);
  CHECK(parse_timeout("2h") == 7200000ms);
  CHECK(parse_timeout("250ms") == 250ms);
  CHECK(parse_timeout("30") == 30000ms);  // a bare number is seconds (OpenFaaS)
  CHECK(parse_timeout("0") == 0ms);       // "no timeout"
  CHECK(parse_timeout("0s") == 0ms);
  for (const char* text : {"", "-1s", "10x", "1s30", "s", "1e3s", "31d", "800h", " 10s", "10 s", "1.2.3s"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_timeout(text).has_value());
  }
}

TEST_CASE("a valid traceparent gives trace id, parent id and the sampled flag") {
  auto parsed = parse_traceparent(kTraceparent);
  REQUIRE(parsed);
  CHECK(parsed->trace_id == "4bf92f3577b34da6a3ce929d0e0e4736");
  CHECK(parsed->parent_id == "00f067aa0ba902b7");
  CHECK(parsed->sampled);
  CHECK_FALSE(parse_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")->sampled);
  // A later version may append fields after a dash.
  CHECK(parse_traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"));
}

TEST_CASE("malformed traceparent values are ignored") {
  for (const char* text : {"", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
                           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
                           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
                           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
                           "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_traceparent(text).has_value());
  }
}

TEST_CASE("tracing comes from traceparent first, else from B3") {
  Headers w3c{{"traceparent", kTraceparent}, {"tracestate", "congo=t61rcWkgMzE"}, {"X-B3-TraceId", "b3trace"}};
  auto tracing = tracing_from_headers(w3c, "greeter");
  CHECK(tracing.enabled);
  CHECK(tracing.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736");
  CHECK(tracing.span_id == "00f067aa0ba902b7");
  CHECK(tracing.traceparent == kTraceparent);
  CHECK(tracing.tracestate == "congo=t61rcWkgMzE");
  CHECK(tracing.service_name == "greeter");

  Headers b3{{"X-B3-TraceId", "80f198ee56343ba864fe8b2a57d3eff7"}, {"X-B3-SpanId", "e457b5a2e4d86bd1"},
             {"X-B3-ParentSpanId", "05e3ac9a4f6e3b90"}, {"X-B3-Sampled", "1"}};
  tracing = tracing_from_headers(b3, "");
  CHECK(tracing.enabled);
  CHECK(tracing.trace_id == "80f198ee56343ba864fe8b2a57d3eff7");
  CHECK(tracing.span_id == "e457b5a2e4d86bd1");
  CHECK(tracing.parent_span_id == "05e3ac9a4f6e3b90");
  CHECK(tracing.sampled);
  CHECK(tracing.traceparent.empty());

  CHECK_FALSE(tracing_from_headers(Headers{{"traceparent", "garbage"}}, "").enabled);
  CHECK_FALSE(tracing_from_headers(Headers{}, "").enabled);
}

TEST_CASE("the scheme comes from X-Forwarded-Proto, else Forwarded, else http") {
  CHECK(request_scheme(Headers{}) == "http");
  CHECK(request_scheme(Headers{{"X-Forwarded-Proto", "https"}}) == "https");
  CHECK(request_scheme(Headers{{"X-Forwarded-Proto", "HTTPS, http"}}) == "https");
  CHECK(request_scheme(Headers{{"Forwarded", "for=192.0.2.60;proto=https;by=203.0.113.43"}}) == "https");
  CHECK(request_scheme(Headers{{"Forwarded", "for=\"[2001:db8::1]\";Proto=\"HTTPS\", proto=http"}}) == "https");
  CHECK(request_scheme(Headers{{"X-Forwarded-Proto", "gopher"}, {"Forwarded", "proto=https"}}) == "https");
  CHECK(request_scheme(Headers{{"X-Forwarded-Proto", "javascript"}}) == "http");
  CHECK(request_scheme(Headers{{"Forwarded", "proto=\"https"}}) == "http");  // unterminated quote
  CHECK(forwarded_proto("for=a, proto=https") == std::nullopt);               // only the first element
}

TEST_CASE("a binary-mode CloudEvent comes from the ce- headers") {
  Headers headers{{"ce-id", "1"},           {"Ce-Source", "/orders"}, {"ce-specversion", "1.0"},
                  {"ce-type", "order.new"}, {"ce-time", "2026-11-30T06:00:00Z"}, {"ce-subject", "A1"},
                  {"ce-traceparent", kTraceparent}, {"Content-Type", "application/json"}};
  auto event = cloud_event_of(headers, "application/json", R"({"order":"A1"})");
  REQUIRE(event);
  CHECK_FALSE(event->structured);
  CHECK(event->id == "1");
  CHECK(event->source == "/orders");
  CHECK(event->specversion == "1.0");
  CHECK(event->type == "order.new");
  CHECK(event->time == "2026-11-30T06:00:00Z");
  CHECK(event->subject == "A1");
  CHECK(event->datacontenttype == "application/json");
  REQUIRE(event->extensions.size() == 1);
  CHECK(event->extensions[0] == std::pair<std::string, std::string>("traceparent", kTraceparent));
  CHECK(event->data.empty());  // binary mode: the body is the data

  headers.remove("ce-type");
  CHECK_FALSE(cloud_event_of(headers, "application/json", "{}").has_value());
}

TEST_CASE("a structured-mode CloudEvent comes from an application/cloudevents+json body") {
  std::string body = R"({"specversion":"1.0","id":"7","source":"/s","type":"t","datacontenttype":"application/json",
                        "data":{"n":1},"priority":3})";
  auto event = cloud_event_of(Headers{}, "application/cloudevents+json; charset=utf-8", body);
  REQUIRE(event);
  CHECK(event->structured);
  CHECK(event->id == "7");
  CHECK(event->datacontenttype == "application/json");
  CHECK(event->data == R"({"n":1})");
  REQUIRE(event->extensions.size() == 1);
  CHECK(event->extensions[0] == std::pair<std::string, std::string>("priority", "3"));

  CHECK(cloud_event_of(Headers{}, "application/cloudevents+json",
                       R"({"specversion":"1.0","id":"7","source":"/s","type":"t","data":"text"})")
            ->data == "text");
  for (const char* bad : {"", "not json", "[]", R"({"id":"7","source":"/s","type":"t"})",
                          R"({"specversion":"1.0","id":7,"source":"/s","type":"t"})"}) {
    CAPTURE(bad);
    CHECK_FALSE(cloud_event_of(Headers{}, "application/cloudevents+json", bad).has_value());
  }
  CHECK_FALSE(cloud_event_of(Headers{}, "text/plain", "{}").has_value());
}

TEST_CASE("the call id is X-Call-Id, else X-Request-Id, else the W3C trace id, else new") {
  TracingContext none;
  CHECK(call_id_of(Headers{{"X-Call-Id", "call"}, {"X-Request-Id", "req"}}, none) == "call");
  CHECK(call_id_of(Headers{{"X-Request-Id", "req"}}, none) == "req");
  auto traced = tracing_from_headers(Headers{{"traceparent", kTraceparent}}, "");
  CHECK(call_id_of(Headers{{"traceparent", kTraceparent}}, traced) == "4bf92f3577b34da6a3ce929d0e0e4736");
  std::string a = call_id_of(Headers{{"X-Call-Id", ""}}, none);
  std::string b = call_id_of(Headers{}, none);
  CHECK(a.size() == 32);
  CHECK(a.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(a != b);
}
