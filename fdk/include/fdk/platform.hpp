// fdk::Platform — which kind of host delivered a call.
#pragma once

namespace fdk {

/// The platform a call came from. One handler serves all of them; a handler that needs to
/// know (for example to read a platform attribute) asks `Context::platform()`.
enum class Platform {
  fn,      ///< Fn / OCI Functions: the Fn agent over the Unix socket named by `FN_LISTENER`
  lambda,  ///< AWS Lambda: the Runtime API (`AWS_LAMBDA_RUNTIME_API`)
  http,    ///< a plain HTTP host: Knative, Cloud Run, OpenFaaS of-watchdog in http mode
  stdio,   ///< one call per process over stdin/stdout: the OpenFaaS classic watchdog
};

/// The platform's name as logs and `FDK_PLATFORM` spell it: "fn", "lambda", "http", "stdio".
[[nodiscard]] constexpr const char* platform_name(Platform platform) noexcept {
  constexpr const char* kNames[] = {"fn", "lambda", "http", "stdio"};  // in the enum's order
  auto index = static_cast<unsigned>(platform);
  return index < sizeof kNames / sizeof kNames[0] ? kNames[index] : "unknown";
}

}  // namespace fdk
