// fdk::testing — unit-test a handler in-process, seeing exactly what the Fn agent would see.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fdk/export.hpp"
#include "fdk/headers.hpp"
#include "fdk/run.hpp"

namespace fdk::testing {

/// A call as the Fn agent would send it. Fluent setters keep tests short.
///
/// @code
///   auto result = fdk::testing::invoke(handler, fdk::testing::Call{}.with_body(R"({"name":"Ada"})"));
///   CHECK(result.status == 200);
///   CHECK(result.body == "Hello Ada");
/// @endcode
struct FDK_API Call {
  std::string body;
  std::string content_type;
  std::string call_id = "01TESTCALL0000000000000000";
  /// Time from the call's start to its deadline (`Fn-Deadline`).
  std::chrono::milliseconds timeout{30000};
  /// Extra request headers sent to the function as-is.
  Headers headers;
  /// Function configuration; replaces the environment snapshot for this call.
  std::map<std::string, std::string> config;
  /// Set to make this an HTTP-gateway call (method, absolute URL).
  std::optional<std::string> gateway_method;
  std::string gateway_url;
  /// The gateway caller's headers (sent to the function as `Fn-Http-H-<Name>`).
  Headers gateway_headers;
  RunOptions options;

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

/// The function's answer as the agent receives it, plus its gateway view.
struct FDK_API Result {
  /// Status towards the agent: 200, 502 (handler failed) or 504 (deadline passed).
  int agent_status = 0;
  /// Status the gateway caller sees (`Fn-Http-Status`); equal to agent_status when absent.
  int status = 0;
  /// Every header of the wire response (`Fn-Http-H-X` stays prefixed here).
  Headers wire_headers;
  /// The caller's headers: `Fn-Http-H-` prefixes removed, Fn's own headers left out.
  Headers headers;
  std::string content_type;
  std::string body;

  /// The body parsed as JSON; throws nlohmann::json::parse_error when it is not.
  [[nodiscard]] FDK_HIDDEN_INLINE nlohmann::json json() const { return nlohmann::json::parse(body); }
};

/// Runs `handler` for `call` through the same request parsing, context mapping, error
/// handling, deadline enforcement and response encoding as the live runtime.
/// A handler still running at the deadline gives agent_status 504; `invoke` then waits
/// for it to return (it should check `ctx.cancelled()`) before returning.
[[nodiscard]] FDK_API Result invoke(const Handler& handler, const Call& call);

}  // namespace fdk::testing
