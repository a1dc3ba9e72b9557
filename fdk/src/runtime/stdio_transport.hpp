// One call per process, as the OpenFaaS classic watchdog and of-watchdog's serializing mode run
// it: the body on stdin, the request in Http_* variables, only the response body on stdout.
#pragma once

#include "fdk/config.hpp"
#include "fdk/run.hpp"
#include "runtime/server.hpp"

namespace fdk::runtime {

/// Reads stdin, runs the handler once, writes the body to stdout and returns the exit status
/// (httphost::stdio_exit_status; 2 when the process cannot start: a bad exec_timeout, unreadable stdin).
[[nodiscard]] int serve_stdio(const Handler& handler, const ServerSettings& settings, const Config& config);

}  // namespace fdk::runtime
