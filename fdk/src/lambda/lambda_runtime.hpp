// fdk::run on AWS Lambda: the handler served through the Runtime API loop.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "fdk/config.hpp"
#include "fdk/run.hpp"

namespace fdk::lambda {

/// Serves `handler` as a Lambda custom runtime at AWS_LAMBDA_RUNTIME_API. Each invocation's
/// handler runs on a thread of its own, so `cancelled()` turns true at the deadline, which is
/// `deadline_margin` before Lambda's (`Lambda-Runtime-Deadline-Ms`): the handler can still stop
/// and log before the platform kills the process at the timeout. The runtime then sends
/// nothing and lets Lambda stop the process and start a fresh one for the next event. Returns the exit status when it cannot
/// go on: 2 for a start-up failure (reported to /init/error when the API is reachable), 1
/// when the Runtime API goes away. `announcement` (the platform and why) goes to stderr once the
/// Runtime API address is known to be usable.
[[nodiscard]] int serve_on_lambda(const Handler& handler, std::shared_ptr<const Config> environment,
                                  std::chrono::milliseconds deadline_margin, const std::string& announcement);

}  // namespace fdk::lambda
