// The id a call is known by on an HTTP host, for logs and error bodies. No I/O.
#pragma once

#include <string>

#include "fdk/context.hpp"

namespace fdk::httphost {

/// `X-Call-Id` (OpenFaaS gateway), else `X-Request-Id`, else the W3C trace id, else a new id.
[[nodiscard]] std::string call_id_of(const Headers& headers, const TracingContext& tracing);

/// 32 random lower-case hex digits.
[[nodiscard]] std::string generate_call_id();

}  // namespace fdk::httphost
