// The Lambda custom-runtime loop: GET next -> serve -> POST response or error -> repeat.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "lambda/next_event.hpp"
#include "lambda/runtime_api_client.hpp"
#include "lambda/runtime_post.hpp"

namespace fdk::lambda {

/// Serves one invocation: the event in, what to post back out (nothing when the invocation
/// is over without an answer: its deadline passed). Must not throw.
using ServeInvocation = std::function<std::optional<RuntimePost>(NextEvent&& event)>;

/// Runs until the Runtime API cannot be reached or answers `next` with something that is
/// not an event; returns the exit status then (1, after one stderr line saying why). Lambda
/// normally ends the process itself (SIGKILL) without the loop ever returning.
[[nodiscard]] int run_runtime_loop(RuntimeApiClient& client, const ServeInvocation& serve);

/// Reports a failure before the first `next` to `/runtime/init/error` (Lambda then shows the
/// message as the init error) and writes it to stderr as well.
void report_init_error(RuntimeApiClient& client, const std::string& message);

}  // namespace fdk::lambda
