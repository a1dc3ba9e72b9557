// fdk::run — serve a handler as an Fn hot function.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string_view>

#include "fdk/context.hpp"
#include "fdk/export.hpp"
#include "fdk/platform.hpp"
#include "fdk/response.hpp"

namespace fdk {

/// A function's entry point: called once per call, off the event-loop thread.
/// Throwing `fdk::HttpError` answers the gateway caller with that status; throwing
/// anything else fails the call (502 to the agent, logged on stderr).
using Handler = std::function<Response(Context& ctx, std::string_view body)>;

/// The OCI Functions payload limit, the default request body limit.
inline constexpr std::size_t kDefaultMaxBodyBytes = 6u * 1024u * 1024u;

/// Tuning for `run`. Every field can also be set through the environment, which wins
/// so an operator can change it without a rebuild.
struct FDK_API RunOptions {
  /// Largest request body accepted; a larger one gets a 413 for the caller.
  /// Environment: `FDK_MAX_BODY_BYTES`.
  std::size_t max_body_bytes = kDefaultMaxBodyBytes;
  /// Largest total size of the request line and headers; larger is refused.
  /// Environment: `FDK_MAX_HEADER_BYTES`.
  std::size_t max_header_bytes = 64u * 1024u;
  /// How many handlers may still be running after their call was answered (504 at the
  /// deadline, or the caller hung up). Each keeps its thread and its request. When a call
  /// arrives with this many stuck, it is answered 502 and the process exits with status 3,
  /// so the Fn agent replaces the container instead of keeping one that can no longer serve.
  /// Environment: `FDK_MAX_STUCK_HANDLERS` (1 to 1000).
  std::size_t max_stuck_handlers = 8;
  /// How long before the platform's deadline the FDK gives up on a call: on Fn the 504 is sent
  /// this early so it reaches the agent before the agent's own timer fires; on Lambda
  /// `cancelled()` turns true this early, before Lambda stops the process; on HTTP hosts and
  /// stdio it is taken off the configured timeout. `Context::deadline()` is the earlier instant.
  /// Environment: `FDK_DEADLINE_MARGIN_MS` (0 to 60000).
  std::chrono::milliseconds deadline_margin{100};
  /// The platform to serve, instead of finding it in the environment (FN_LISTENER → fn,
  /// AWS_LAMBDA_RUNTIME_API → lambda, ...). Environment: `FDK_PLATFORM` (fn, lambda, http, stdio).
  std::optional<Platform> platform;
};

/// Serves `handler` on the platform the environment names, saying which on one stderr line:
/// Fn (the Unix socket named by `FN_LISTENER`, until SIGTERM or SIGINT), AWS Lambda (the
/// Runtime API at `AWS_LAMBDA_RUNTIME_API`, until Lambda stops the process), an HTTP host
/// (`PORT`, or the OpenFaaS of-watchdog's `mode=http` + `upstream_url`: a plain HTTP/1.1 server
/// until SIGTERM) or an OpenFaaS fork-per-request watchdog (`Http_Method`: one call over
/// stdin/stdout). `FDK_PLATFORM` chooses explicitly (docs/http-hosts.md, docs/lambda.md).
/// Returns the process exit code: 0 after a clean shutdown, non-zero (with one line on
/// stderr saying why) when the function cannot start.
///
/// @code
///   int main() {
///     return fdk::run([](fdk::Context&, std::string_view body) {
///       return fdk::Response::text("Hello " + std::string(body));
///     });
///   }
/// @endcode
[[nodiscard]] FDK_API int run(Handler handler, RunOptions options = {});

}  // namespace fdk
