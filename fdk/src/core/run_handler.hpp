// Running the user's handler for one call and deciding what its outcome means. No I/O.
#pragma once

#include <chrono>
#include <string_view>

#include "core/call_result.hpp"
#include "fdk/context.hpp"
#include "fdk/run.hpp"

namespace fdk::core {

/// Runs the handler and turns whatever it does into a CallResult: a valid Response is ok;
/// fdk::HttpError with a status of 100-599 is http_error; any other exception, an HttpError
/// with another status, or a Response that cannot be sent (core/response_check.hpp) is
/// handler_failed. Never throws.
[[nodiscard]] CallResult run_handler(const Handler& handler, Context& context, std::string_view body) noexcept;

/// The handler's result if it finished before the context's deadline, else the
/// deadline_passed result: the caller stops waiting at the deadline, so a result produced
/// after it is discarded, never sent. A call without a deadline keeps its result.
[[nodiscard]] CallResult result_at(CallResult result, const Context& context,
                                   std::chrono::system_clock::time_point finished);

}  // namespace fdk::core
