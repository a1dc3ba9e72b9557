#include "http/message_writer.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <initializer_list>

#include "http/status_text.hpp"

namespace fdk::http {

namespace {

// Appends the pieces with one size check and one length update instead of one per piece: a
// response head is some thirty short pieces, and it is written on every call's path.
void append_pieces(std::string& out, std::initializer_list<std::string_view> pieces) {
  std::size_t total = 0;
  for (std::string_view piece : pieces) total += piece.size();
  std::size_t at = out.size();
  out.resize(at + total);
  char* cursor = out.data() + at;
  for (std::string_view piece : pieces) {
    std::memcpy(cursor, piece.data(), piece.size());
    cursor += piece.size();
  }
}

}  // namespace

bool is_token(std::string_view text) noexcept {
  static constexpr std::string_view kSeparators = "()<>@,;:\\\"/[]?={} \t";
  const auto token_char = [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > 0x20 && byte < 0x7F && kSeparators.find(c) == std::string_view::npos;
  };
  return !text.empty() && std::all_of(text.begin(), text.end(), token_char);
}

bool is_field_value(std::string_view text) noexcept {
  const auto value_char = [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte == '\t' || (byte >= 0x20 && byte != 0x7F);
  };
  return std::all_of(text.begin(), text.end(), value_char);
}

void write_status_line(std::string& out, int status) {
  char digits[16];
  char* end = std::to_chars(digits, digits + sizeof digits, status).ptr;
  append_pieces(out, {"HTTP/1.1 ", std::string_view(digits, static_cast<std::size_t>(end - digits)), " ",
                      status_text(status), "\r\n"});
}

void write_request_line(std::string& out, std::string_view method, std::string_view target) {
  out.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
}

void write_header(std::string& out, std::string_view name, std::string_view value) {
  append_pieces(out, {name, ": ", value, "\r\n"});
}

void write_headers(std::string& out, const Headers& headers) {
  for (const auto& [name, value] : headers) write_header(out, name, value);
}

void end_head(std::string& out) { out.append("\r\n"); }

void write_chunked_body(std::string& out, std::string_view body) {
  if (!body.empty()) {
    char size[20];
    std::snprintf(size, sizeof size, "%zx", body.size());
    out.append(size).append("\r\n").append(body).append("\r\n");
  }
  out.append("0\r\n\r\n");
}

}  // namespace fdk::http
