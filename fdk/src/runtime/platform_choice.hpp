// Which platform started the process, read from its environment (docs/http-hosts.md). No I/O.
// Fn, HTTP hosts (Knative, Cloud Run, OpenFaaS of-watchdog http mode) and the OpenFaaS
// watchdogs' fork-per-request stdio modes.
#pragma once

#include <string>
#include <variant>

#include "fdk/config.hpp"
#include "runtime/server.hpp"

namespace fdk::runtime {

enum class PlatformKind { fn, http, stdio };

struct PlatformChoice {
  PlatformKind kind = PlatformKind::fn;
  /// The variable that decided, for the one start-up line (`FN_LISTENER`, `PORT=8080`, ...).
  std::string reason;
  /// http: where to listen.
  TcpEndpoint endpoint;
};

/// The first rule that matches: FDK_PLATFORM; FN_LISTENER (fn); Http_Method (stdio, set by both
/// OpenFaaS watchdogs for each forked child); mode=http with upstream_url (http on that URL's
/// host and port); PORT (http on 0.0.0.0:PORT). FDK_HTTP_ADDRESS and FDK_HTTP_PORT override the
/// address. Returns one sentence when nothing matches or a value is unusable.
[[nodiscard]] std::variant<PlatformChoice, std::string> choose_platform(const Config& config);

}  // namespace fdk::runtime
