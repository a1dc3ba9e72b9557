// Where the Lambda Runtime API is (AWS_LAMBDA_RUNTIME_API) and the paths of its calls. No I/O.
#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace fdk::lambda {

/// `AWS_LAMBDA_RUNTIME_API` read as an opaque `authority[/prefix]`: Lambda sets `host:port`,
/// some local emulators add a path (`localhost:3000/<request id>`), and both must work.
struct RuntimeApiAddress {
  std::string host;
  int port = 80;
  std::string authority;  ///< `host:port` as the Host header names it
  std::string prefix;     ///< empty, or a path without trailing '/' (`/abc`)

  /// `GET` target that blocks until the next event arrives.
  [[nodiscard]] std::string next_target() const;
  /// `POST` target for the result of invocation `request_id`.
  [[nodiscard]] std::string response_target(std::string_view request_id) const;
  /// `POST` target for the failure of invocation `request_id`.
  [[nodiscard]] std::string error_target(std::string_view request_id) const;
  /// `POST` target for a failure before the first `next`.
  [[nodiscard]] std::string init_error_target() const;
};

/// Parses the variable's value; returns the address or one sentence saying what is wrong.
[[nodiscard]] std::variant<RuntimeApiAddress, std::string> parse_runtime_api_address(std::string_view value);

}  // namespace fdk::lambda
