// A call's Outcome -> the HTTP response an HTTP host's caller receives. No I/O.
// Unlike Fn, the handler's status and headers go on the wire as they are; the FDK owns only the
// framing headers (Content-Length, Transfer-Encoding, Connection) and Date.
#pragma once

#include <string>

#include "protocol/call_flow.hpp"

namespace fdk::httphost {

/// The status the caller sees: the handler's (or HttpError's) status, 413 for a body too
/// large, 504 at the deadline, 500 when the handler failed.
[[nodiscard]] int wire_status(const protocol::Outcome& outcome);

/// The whole response. `now` fills the Date header.
[[nodiscard]] std::string encode_http_response(const protocol::Outcome& outcome, bool close_connection,
                                               protocol::SystemTime now);

/// The head of encode_http_response's response; the body follows it unchanged when
/// sends_body(outcome), so a server never copies a large body next to its head.
[[nodiscard]] std::string encode_http_head(const protocol::Outcome& outcome, bool close_connection,
                                           protocol::SystemTime now);

/// False for the answer to HEAD and for a status that never has content (204, 304).
[[nodiscard]] bool sends_body(const protocol::Outcome& outcome);

/// The failure line for stderr with `"severity"` (Cloud Logging's name, upper case) beside
/// `"level"`, so Cloud Run and Knative on GKE classify it; the line unchanged when it is not a
/// JSON object.
[[nodiscard]] std::string with_severity(const std::string& log_line);

}  // namespace fdk::httphost
