#include "core/response_check.hpp"

#include <string_view>

#include "http/message_writer.hpp"

namespace fdk::core {

namespace {

// Looser than http::is_field_value: a handler's other control characters pass, as before;
// only what would end the header line (or a C string) is refused.
bool is_valid_header_value(std::string_view value) {
  // A plain loop: find_first_of searches the three characters once per byte of the value.
  for (char c : value) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

}  // namespace

std::string response_problem(const Response& response) {
  if (!is_sendable_status(response.status())) {
    return "The handler returned HTTP status " + std::to_string(response.status()) +
           ", which is not between 100 and 599.";
  }
  if (!is_valid_header_value(response.content_type())) {
    return "The handler's content type contains a line break or NUL byte.";
  }
  for (const auto& [name, value] : response.headers()) {
    if (!http::is_token(name)) return "The handler returned an invalid header name '" + name + "'.";
    if (!is_valid_header_value(value)) {
      return "The handler's header '" + name + "' has a value containing a line break or NUL byte.";
    }
  }
  return {};
}

}  // namespace fdk::core
