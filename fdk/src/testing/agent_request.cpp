#include "testing/agent_request.hpp"

#include "http/message_writer.hpp"

namespace fdk::protocol {

std::string format_agent_deadline(SystemTime deadline) {
  return http::format_rfc3339_seconds(deadline);  // whole seconds, like Go's time.RFC3339
}

std::string encode_agent_request(const AgentCall& call) {
  std::string out;
  out.reserve(512 + call.body.size());
  http::write_request_line(out, "POST", "/call");
  http::write_header(out, "Host", "localhost");
  http::write_header(out, "User-Agent", "fdk-cpp-invoker");
  if (call.body.empty()) {
    http::write_header(out, "Content-Length", "0");
  } else {
    http::write_header(out, "Transfer-Encoding", "chunked");
  }
  if (!call.content_type.empty()) http::write_header(out, "Content-Type", call.content_type);
  http::write_header(out, "Fn-Call-Id", call.call_id);
  http::write_header(out, "Fn-Deadline", call.whole_second_deadline ? format_agent_deadline(call.deadline)
                                                                    : format_rfc3339(call.deadline));
  http::write_headers(out, call.headers);
  if (call.gateway_method) {
    for (const auto& [name, value] : call.gateway_headers) http::write_header(out, "Fn-Http-H-" + name, value);
    http::write_header(out, "Fn-Http-Method", *call.gateway_method);
    http::write_header(out, "Fn-Http-Request-Url", call.gateway_url);
    http::write_header(out, "Fn-Intent", "httprequest");
  }
  http::write_header(out, "Accept-Encoding", "gzip");
  http::end_head(out);
  if (!call.body.empty()) http::write_chunked_body(out, call.body);
  return out;
}

}  // namespace fdk::protocol
