// fdk::testing — unit-test a handler in-process, seeing exactly what the platform would see:
// the Fn agent, AWS Lambda's Runtime API, an HTTP host's caller, or an OpenFaaS watchdog.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fdk/export.hpp"
#include "fdk/headers.hpp"
#include "fdk/platform.hpp"
#include "fdk/run.hpp"

namespace fdk::testing {

/// The kind of event a Lambda call delivers (Call::lambda and its HTTP siblings set it).
enum class LambdaEvent {
  raw,             ///< any JSON event: the handler gets it as its body
  api_gateway_v2,  ///< API Gateway HTTP API or a function URL (payload 2.0)
  api_gateway_v1,  ///< API Gateway REST API (payload 1.0)
  alb,             ///< Application Load Balancer
};

/// A call as the platform would deliver it: `Call{}` is the Fn agent's; the static builders
/// make the other platforms' (`options.platform` says which). Fluent setters keep tests short.
///
/// @code
///   auto result = fdk::testing::invoke(handler, fdk::testing::Call{}.with_body(R"({"name":"Ada"})"));
///   CHECK(result.status == 200);
///   CHECK(result.body == "Hello Ada");
///   auto on_knative = fdk::testing::invoke(handler, fdk::testing::Call::http("GET", "/hello?name=Ada"));
///   CHECK(on_knative.wire.rfind("HTTP/1.1 200 OK\r\n", 0) == 0);
/// @endcode
struct FDK_API Call {
  std::string body;
  std::string content_type;
  /// Fn: `Fn-Call-Id`. Lambda: `Lambda-Runtime-Aws-Request-Id`. HTTP hosts and stdio: sent as
  /// `X-Call-Id` when not empty (the builders leave it empty: the FDK makes one up).
  std::string call_id = "01TESTCALL0000000000000000";
  /// Time from the call's start to its deadline: Fn `Fn-Deadline`, Lambda
  /// `Lambda-Runtime-Deadline-Ms`. HTTP hosts and stdio send none: there it stands for
  /// `FDK_TIMEOUT` / `exec_timeout`, and zero (what their builders set) means no deadline.
  std::chrono::milliseconds timeout{30000};
  /// Extra request headers sent to the function as-is (Lambda raw events: headers of the
  /// Runtime API's `next` answer, such as `Lambda-Runtime-Client-Context`).
  Headers headers;
  /// Function configuration (the process environment on Lambda, HTTP hosts and stdio);
  /// replaces the environment snapshot for this call.
  std::map<std::string, std::string> config;
  /// Fn: set to make this an HTTP-gateway call (method, absolute URL). Other platforms: the
  /// caller's method and URL (absolute, or a path with query).
  std::optional<std::string> gateway_method;
  std::string gateway_url;
  /// Fn: the gateway caller's headers (sent to the function as `Fn-Http-H-<Name>`). Other
  /// platforms: more of the caller's headers, sent after `headers`.
  Headers gateway_headers;
  /// `options.platform` is the platform the call comes from (none: Fn).
  RunOptions options;
  /// Lambda: which event the Runtime API delivers.
  LambdaEvent lambda_event = LambdaEvent::raw;

  /// An AWS Lambda invocation of a raw event: the handler gets `event_json` as its body.
  [[nodiscard]] static Call lambda(std::string event_json);
  /// An HTTP request that reaches Lambda through API Gateway's HTTP API or a function URL
  /// (payload 2.0); the FDK answers with the JSON the service turns into the HTTP response.
  [[nodiscard]] static Call lambda_http_api(std::string method, std::string url);
  /// The same through an API Gateway REST API (payload 1.0, multi-value headers).
  [[nodiscard]] static Call lambda_rest_api(std::string method, std::string url);
  /// The same through an Application Load Balancer.
  [[nodiscard]] static Call lambda_alb(std::string method, std::string url);
  /// A request on an HTTP host: Knative, Cloud Run, OpenFaaS of-watchdog in http mode.
  [[nodiscard]] static Call http(std::string method, std::string url);
  /// A call under the OpenFaaS classic watchdog (or of-watchdog `mode=serializing`): the
  /// request in `Http_*` variables, the body on stdin, one call per process.
  [[nodiscard]] static Call stdio(std::string method, std::string url);

  Call& with_body(std::string value);
  Call& with_content_type(std::string value);
  Call& with_call_id(std::string value);
  Call& with_timeout(std::chrono::milliseconds value);
  Call& with_header(std::string name, std::string value);
  Call& with_config(std::string name, std::string value);
  /// Makes this a gateway call: `with_gateway("GET", "http://host/t/app/fn?x=1")`.
  Call& with_gateway(std::string method, std::string url);
  Call& with_gateway_header(std::string name, std::string value);
};

/// The function's answer as its platform receives it, and what the caller sees of it.
struct FDK_API Result {
  /// Fn: status towards the agent: 200, 502 (handler failed) or 504 (deadline passed).
  /// Other platforms: 0.
  int agent_status = 0;
  /// The status the caller sees. Fn: `Fn-Http-Status` (else agent_status). HTTP hosts: the
  /// response's. Lambda: an HTTP event's `statusCode`; 200 for a raw event's response; 0 when
  /// the FDK posts an error or nothing. stdio: 200 or 500, as the watchdog answers the exit status.
  int status = 0;
  /// Fn and HTTP hosts: every header of the wire response (`Fn-Http-H-X` stays prefixed).
  /// Lambda: the headers of the post to the Runtime API. stdio: none.
  Headers wire_headers;
  /// The caller's headers (Fn: `Fn-Http-H-` prefixes removed, Fn's own headers left out;
  /// Lambda HTTP events: the answer's `headers`, `multiValueHeaders` and `cookies`).
  Headers headers;
  std::string content_type;
  /// The caller's body (Lambda HTTP events: base64-decoded when the answer says so; a Lambda
  /// error: the error JSON posted).
  std::string body;

  /// The body parsed as JSON; throws nlohmann::json::parse_error when it is not.
  [[nodiscard]] FDK_HIDDEN_INLINE nlohmann::json json() const { return nlohmann::json::parse(body); }

  /// The platform the call came from.
  Platform platform = Platform::fn;
  /// Exactly what the FDK hands the platform. Fn and HTTP hosts: the HTTP response bytes.
  /// Lambda: the body posted to the Runtime API (empty when nothing is posted). stdio: stdout.
  std::string wire;
  /// Lambda: the Runtime API path posted to (`/2018-06-01/runtime/invocation/<id>/response` or
  /// `.../error`); empty when the FDK posts nothing (the deadline passed: Lambda stops the
  /// runtime itself). Empty on other platforms.
  std::string runtime_api_path;
  /// stdio: the process's exit status, 0 (status below 400) or 1; 0 on other platforms.
  int exit_code = 0;
};

/// Runs `handler` for `call` through the same request parsing, context mapping, error
/// handling, deadline enforcement and response encoding as the live runtime of the call's
/// platform. A handler still running at the deadline gives the platform's answer for a passed
/// deadline (Fn: agent_status 504; HTTP: 504; Lambda: nothing posted; stdio: exit 1); `invoke`
/// then waits for it to return (it should check `ctx.cancelled()`) before returning.
/// Throws std::invalid_argument for a call the platform could not send (a bad URL, a header
/// that is not HTTP).
[[nodiscard]] FDK_API Result invoke(const Handler& handler, const Call& call);

}  // namespace fdk::testing
