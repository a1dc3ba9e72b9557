// Writing HTTP/1.1 messages (requests and responses) into a buffer. No I/O. The writers do not
// validate: callers check names and values first (is_token, is_field_value) and refuse what
// would change the message's framing (a CR or LF would start a new header line).
#pragma once

#include <string>
#include <string_view>

#include "fdk/headers.hpp"

namespace fdk::http {

/// True for an RFC 9110 token, what a method or header name must be: one or more letters, digits
/// or !#$%&'*+-.^_`|~.
[[nodiscard]] bool is_token(std::string_view text) noexcept;
/// True for a header value that can be written as is: visible characters, spaces, tabs and
/// obs-text (bytes 0x80-0xFF); never CR, LF, NUL or another control character.
[[nodiscard]] bool is_field_value(std::string_view text) noexcept;

/// `HTTP/1.1 404 Not Found\r\n`
void write_status_line(std::string& out, int status);
/// `GET /path HTTP/1.1\r\n`
void write_request_line(std::string& out, std::string_view method, std::string_view target);
/// `Name: value\r\n`
void write_header(std::string& out, std::string_view name, std::string_view value);
/// Every header, in order.
void write_headers(std::string& out, const Headers& headers);
/// The empty line that ends the head.
void end_head(std::string& out);
/// `body` as one chunk followed by the last chunk (`0\r\n\r\n`); just the last chunk when empty.
void write_chunked_body(std::string& out, std::string_view body);

}  // namespace fdk::http
