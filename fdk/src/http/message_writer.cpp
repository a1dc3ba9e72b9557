#include "http/message_writer.hpp"

#include <algorithm>
#include <cstdio>

#include "http/status_text.hpp"

namespace fdk::http {

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
  out.append("HTTP/1.1 ").append(std::to_string(status)).append(" ").append(status_text(status)).append("\r\n");
}

void write_request_line(std::string& out, std::string_view method, std::string_view target) {
  out.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
}

void write_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
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
