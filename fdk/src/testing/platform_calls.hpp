// fdk::testing's side of each platform: the call as the platform would deliver it, served
// through that platform's own mapping and rendering code, and its answer read back. Each
// invoke_* runs what the live transport runs, minus the sockets, pipes and process exit.
#pragma once

#include <memory>

#include "fdk/config.hpp"
#include "fdk/testing.hpp"
#include "core/call_result.hpp"
#include "protocol/call_flow.hpp"

namespace fdk::testing::detail {

/// The function's environment for the call: `call.config`, or the process environment.
[[nodiscard]] std::shared_ptr<const Config> config_for(const Call& call);

/// Runs the handler on its own thread, as the runtimes do; at the context's deadline sets
/// `cancelled`, then waits for the handler to return. The result is the one the live runtime
/// keeps (deadline_passed when the handler finished late).
[[nodiscard]] core::CallResult run_until_deadline(const Handler& handler, protocol::PreparedCall& call);

/// A Lambda invocation through the Runtime API loop's flow (lambda/invocation_flow.hpp).
[[nodiscard]] Result invoke_lambda(const Handler& handler, const Call& call);

/// The event JSON an AWS service sends for `call` (raw events: the body itself).
[[nodiscard]] std::string lambda_event_json(const Call& call);

/// A request to the HTTP-host server's protocol (runtime/call_protocol.hpp).
[[nodiscard]] Result invoke_http_host(const Handler& handler, const Call& call);

/// One call through the stdio transport's mapping (httphost/stdio_mapping.hpp).
[[nodiscard]] Result invoke_stdio(const Handler& handler, const Call& call);

/// The `Http_*` variables an OpenFaaS watchdog sets for `call` (headers flattened: Go's
/// canonical name with `-` as `_`, first value only).
[[nodiscard]] std::map<std::string, std::string, std::less<>> watchdog_variables(const Call& call);

/// The request line and headers of the caller's request: method, URL split, headers with
/// `Host` and `Content-Type` added from the URL and `call.content_type` when missing.
struct CallerRequest {
  std::string method;
  std::string scheme;  ///< empty when `gateway_url` is a path (no scheme given)
  std::string authority;
  std::string target;  ///< origin form: path and query
  std::string path;
  std::string raw_query;
  Headers headers;
};
[[nodiscard]] CallerRequest caller_request(const Call& call);

}  // namespace fdk::testing::detail
