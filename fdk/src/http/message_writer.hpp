// Writing HTTP/1.1 messages (requests and responses) into a buffer. No I/O, no validation:
// callers pass names and values they have checked (CR/LF is theirs to refuse).
#pragma once

#include <string>
#include <string_view>

#include "fdk/headers.hpp"

namespace fdk::http {

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
