#include "ascii.hpp"
#include "http/message_writer.hpp"
#include "protocol/outcome.hpp"
#include "protocol/runtime_identity.hpp"

namespace fdk::protocol {

namespace {

// Headers the FDK owns: a handler's copy would contradict the framing we send.
bool is_framing_header(std::string_view name) {
  return detail::ascii_iequals(name, "Content-Length") || detail::ascii_iequals(name, "Transfer-Encoding") ||
         detail::ascii_iequals(name, "Connection");
}

}  // namespace

std::string encode_outcome_head(const Outcome& outcome, bool close_connection) {
  const Response& response = outcome.response;
  std::string_view content_type = response.content_type();
  std::string out;
  out.reserve(256);
  http::write_status_line(out, outcome.agent_status);

  if (outcome.agent_status == 200) {
    http::write_header(out, "Fn-Http-Status", std::to_string(response.status()));
    for (const auto& [name, value] : response.headers()) {
      if (detail::ascii_iequals(name, "Content-Type")) {
        content_type = value;  // Content-Type travels raw so the gateway keeps it
      } else if (!is_framing_header(name)) {
        out.append("Fn-Http-H-");
        http::write_header(out, name, value);
      }
    }
  }
  if (!content_type.empty()) http::write_header(out, "Content-Type", content_type);
  out.append(fdk_identification_lines());
  if (!outcome.omit_body) http::write_header(out, "Content-Length", std::to_string(response.body().size()));
  if (close_connection) http::write_header(out, "Connection", "close");
  http::end_head(out);
  return out;
}

std::string encode_outcome(const Outcome& outcome, bool close_connection) {
  std::string out = encode_outcome_head(outcome, close_connection);
  if (!outcome.omit_body) out.append(outcome.response.body());
  return out;
}

}  // namespace fdk::protocol
