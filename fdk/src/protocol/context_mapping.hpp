// Fn request headers -> fdk::Context. No I/O.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>

#include "fdk/context.hpp"
#include "protocol/deadline.hpp"
#include "protocol/function_environment.hpp"
#include "protocol/message_parser.hpp"

namespace fdk::protocol {

/// Fn's default call timeout, used when a request carries no usable Fn-Deadline.
inline constexpr std::chrono::seconds kDefaultCallTimeout{30};

/// Builds the handler's Context from the agent's request headers, taking them over
/// (`request.headers` is left empty; the body is left alone).
/// `cancelled` is the flag the runtime sets when it answers 504.
[[nodiscard]] Context map_request(RawRequest& request, const FunctionEnvironment& env, SystemTime now,
                                  std::shared_ptr<std::atomic<bool>> cancelled);

/// The `\n<FN_LOGFRAME_NAME>=<value>\n` line to write before the handler runs, or empty
/// when log framing is off.
[[nodiscard]] std::string log_frame_line(const FunctionEnvironment& env, const Headers& request_headers);

}  // namespace fdk::protocol
