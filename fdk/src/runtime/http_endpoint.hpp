// Where an HTTP-host function listens, from its environment. No I/O. (Which platform serves
// the process is decided by platform/selection.hpp; this only places the http listener.)
#pragma once

#include <string>
#include <variant>

#include "fdk/config.hpp"
#include "runtime/server.hpp"

namespace fdk::runtime {

/// The first that applies: `mode=http` with `upstream_url` or `http_upstream_url` (that URL's
/// host and port: the OpenFaaS of-watchdog forwards there); `PORT` (0.0.0.0:PORT, Knative and
/// Cloud Run); else 0.0.0.0:8080. `FDK_HTTP_ADDRESS` and `FDK_HTTP_PORT` override the result.
/// Returns one sentence when a value is unusable.
[[nodiscard]] std::variant<TcpEndpoint, std::string> http_endpoint(const Config& config);

}  // namespace fdk::runtime
