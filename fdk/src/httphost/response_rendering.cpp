#include "httphost/response_rendering.hpp"

#include <nlohmann/json.hpp>

#include "ascii.hpp"
#include "http/date.hpp"
#include "http/message_writer.hpp"

namespace fdk::httphost {

namespace {

// Headers the FDK owns: a handler's copy would contradict the framing we send.
bool is_owned_header(std::string_view name) {
  return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") || iequals(name, "Connection") ||
         iequals(name, "Date");
}

// RFC 9110 6.4.1: these responses never carry content, whatever the request.
bool has_no_content(int status) { return status == 204 || status == 304; }

}  // namespace

int wire_status(const protocol::Outcome& outcome) {
  // The call core's results already carry the caller's status (500, 504, 413, 503, 400...).
  // Only a bare failure without one (out of memory while reporting) needs a server error.
  if (outcome.agent_status == 502 && outcome.response.status() < 400) return 500;
  return outcome.response.status();
}

bool sends_body(const protocol::Outcome& outcome) {
  return !outcome.omit_body && !has_no_content(wire_status(outcome));
}

std::string encode_http_head(const protocol::Outcome& outcome, bool close_connection, protocol::SystemTime now) {
  const Response& response = outcome.response;
  int status = wire_status(outcome);
  std::string out;
  out.reserve(256);
  http::write_status_line(out, status);
  bool content_type_sent = false;
  for (const auto& [name, value] : response.headers()) {
    if (is_owned_header(name)) continue;
    content_type_sent = content_type_sent || iequals(name, "Content-Type");
    http::write_header(out, name, value);
  }
  if (!content_type_sent && !response.content_type().empty()) {
    http::write_header(out, "Content-Type", response.content_type());
  }
  http::write_header(out, "Date", http::format_http_date(now));
  if (!has_no_content(status)) http::write_header(out, "Content-Length", std::to_string(response.body().size()));
  if (close_connection) http::write_header(out, "Connection", "close");
  http::end_head(out);
  return out;
}

std::string encode_http_response(const protocol::Outcome& outcome, bool close_connection, protocol::SystemTime now) {
  std::string out = encode_http_head(outcome, close_connection, now);
  if (sends_body(outcome)) out.append(outcome.response.body());
  return out;
}

std::string with_severity(const std::string& log_line) {
  auto record = nlohmann::ordered_json::parse(log_line, nullptr, false);
  if (!record.is_object() || !record.contains("level") || !record["level"].is_string()) return log_line;
  nlohmann::ordered_json out;
  for (auto& [name, value] : record.items()) {
    out[name] = value;
    if (name == "level") out["severity"] = detail::ascii_upper(value.get<std::string>());
  }
  return out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace fdk::httphost
