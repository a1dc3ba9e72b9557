#include "protocol/call_flow.hpp"
#include "protocol/runtime_identity.hpp"

namespace fdk::protocol {

namespace {

const char* reason_phrase(int agent_status) {
  switch (agent_status) {
    case 200: return "OK";
    case 502: return "Bad Gateway";
    case 504: return "Gateway Timeout";
    default: return "Status";
  }
}

// Headers the FDK owns: a handler's copy would contradict the framing we send.
bool is_framing_header(std::string_view name) {
  return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") || iequals(name, "Connection");
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

}  // namespace

std::string encode_outcome(const Outcome& outcome, bool close_connection) {
  const Response& response = outcome.response;
  std::string content_type = response.content_type();
  std::string out;
  out.reserve(256 + response.body().size());
  out.append("HTTP/1.1 ").append(std::to_string(outcome.agent_status)).append(" ");
  out.append(reason_phrase(outcome.agent_status)).append("\r\n");

  if (outcome.agent_status == 200) {
    append_header(out, "Fn-Http-Status", std::to_string(response.status()));
    for (const auto& [name, value] : response.headers()) {
      if (iequals(name, "Content-Type")) {
        content_type = value;  // Content-Type travels raw so the gateway keeps it
      } else if (!is_framing_header(name)) {
        out.append("Fn-Http-H-");
        append_header(out, name, value);
      }
    }
  }
  if (!content_type.empty()) append_header(out, "Content-Type", content_type);
  append_header(out, "Fn-Fdk-Version", fdk_version_header());
  append_header(out, "Fn-Fdk-Runtime", fdk_runtime_header());
  if (!outcome.omit_body) append_header(out, "Content-Length", std::to_string(response.body().size()));
  if (close_connection) append_header(out, "Connection", "close");
  out.append("\r\n");
  if (!outcome.omit_body) out.append(response.body());
  return out;
}

}  // namespace fdk::protocol
