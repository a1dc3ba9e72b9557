// What makes a handler's Response unsendable on any platform. No I/O.
#pragma once

#include <string>

#include "fdk/response.hpp"

namespace fdk::core {

/// Empty when `response` can be sent; otherwise one sentence naming the problem: a status
/// outside 100-599, or a header name that is not an HTTP token, or a CR, LF or NUL in a header
/// value or the content type (which would corrupt the wire or smuggle a header).
[[nodiscard]] std::string response_problem(const Response& response);

/// True for the statuses a caller can receive: 100 to 599.
[[nodiscard]] constexpr bool is_sendable_status(int status) noexcept { return status >= 100 && status <= 599; }

}  // namespace fdk::core
