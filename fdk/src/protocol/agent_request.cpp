#include "protocol/agent_request.hpp"

#include <cstdio>

namespace fdk::protocol {

namespace {
void append_header(std::string& out, std::string_view name, std::string_view value) {
  out.append(name).append(": ").append(value).append("\r\n");
}

std::string hex(std::size_t value) {
  char buffer[20];
  std::snprintf(buffer, sizeof buffer, "%zx", value);
  return buffer;
}
}  // namespace

std::string format_agent_deadline(SystemTime deadline) {
  std::string text = format_rfc3339(std::chrono::time_point_cast<std::chrono::seconds>(deadline));
  return text.substr(0, text.find('.')) + "Z";  // whole seconds, like Go's time.RFC3339
}

std::string encode_agent_request(const AgentCall& call) {
  std::string out = "POST /call HTTP/1.1\r\nHost: localhost\r\nUser-Agent: fdk-cpp-invoker\r\n";
  if (call.body.empty()) {
    append_header(out, "Content-Length", "0");
  } else {
    append_header(out, "Transfer-Encoding", "chunked");
  }
  if (!call.content_type.empty()) append_header(out, "Content-Type", call.content_type);
  append_header(out, "Fn-Call-Id", call.call_id);
  append_header(out, "Fn-Deadline", call.whole_second_deadline ? format_agent_deadline(call.deadline)
                                                                 : format_rfc3339(call.deadline));
  for (const auto& [name, value] : call.headers) append_header(out, name, value);
  if (call.gateway_method) {
    for (const auto& [name, value] : call.gateway_headers) append_header(out, "Fn-Http-H-" + name, value);
    append_header(out, "Fn-Http-Method", *call.gateway_method);
    append_header(out, "Fn-Http-Request-Url", call.gateway_url);
    append_header(out, "Fn-Intent", "httprequest");
  }
  append_header(out, "Accept-Encoding", "gzip");
  out.append("\r\n");
  if (!call.body.empty()) {
    out.append(hex(call.body.size())).append("\r\n").append(call.body).append("\r\n0\r\n\r\n");
  }
  return out;
}

}  // namespace fdk::protocol
