// The call core: the one platform-neutral path every transport (Fn, Lambda, HTTP, stdio)
// drives a call through. No I/O here; transports own sockets, threads and timers.
//
// How a transport serves one call:
//   1. accept   Decode the wire request. A request the handler must not see gets its answer
//               at once: bad_request_result / too_large_result / unavailable_result
//               (core/call_result.hpp); skip to 5.
//   2. map      Fill a core::Invocation (core/invocation.hpp): call id, deadline (minus any
//               margin; nullopt when the platform has none), headers, content type, body,
//               gateway view for HTTP requests, tracing, platform and its attributes, and the
//               FunctionIdentity read once at start-up.
//   3. context  auto cancelled = std::make_shared<std::atomic<bool>>(false);
//               Context ctx = core::make_context(invocation, cancelled);
//               std::string body = std::move(invocation.body);
//               If the deadline has already passed, answer deadline_result and stop.
//   4. run      On a thread that is not the transport's I/O loop:
//               CallResult result = core::run_handler(handler, ctx, body);   // never throws
//               result = core::result_at(std::move(result), ctx, system_clock::now());
//               Meanwhile, if the deadline arrives first, the transport answers
//               core::deadline_result(ctx.call_id(), ctx.deadline()), sets `cancelled`, and
//               lets the handler keep its thread; exactly one of the two answers is sent
//               (guard it with an atomic flag), the late result is dropped.
//   5. render   Write result.log_line (when not empty) to stderr as one line, then put
//               result.response on the wire in the platform's form, choosing the platform's
//               status from result.kind (Fn: protocol/fn_rendering.hpp).
#pragma once

#include "core/call_result.hpp"
#include "core/invocation.hpp"
#include "core/response_check.hpp"
#include "core/run_handler.hpp"
