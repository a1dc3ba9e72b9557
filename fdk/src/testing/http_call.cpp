// fdk::testing on HTTP hosts and under the OpenFaaS watchdogs: the request as the host (or the
// watchdog) delivers it, served through the same protocol and mapping code as the libuv server
// and the stdio transport, and their wire read back.
#include "core/call_core.hpp"
#include "http/message_writer.hpp"
#include "httphost/host_environment.hpp"
#include "httphost/stdio_mapping.hpp"
#include "protocol/message_parser.hpp"
#include "runtime/call_protocol.hpp"
#include "runtime/log.hpp"
#include "testing/platform_calls.hpp"

namespace fdk::testing::detail {

namespace {

constexpr protocol::ParserLimits kAnswerLimits{1 << 20, std::size_t(1) << 40};

protocol::ParserLimits limits_of(const Call& call) {
  return {call.options.max_header_bytes, call.options.max_body_bytes};
}

// The request as a client (or Knative's queue-proxy, Cloud Run's front end) writes it. A URL
// with https says the caller used TLS, which those proxies pass on as X-Forwarded-Proto.
std::string request_bytes(const Call& call) {
  CallerRequest request = caller_request(call);
  if (request.scheme == "https" && !request.headers.contains("X-Forwarded-Proto")) {
    request.headers.add("X-Forwarded-Proto", "https");
  }
  if (!call.call_id.empty() && !request.headers.contains("X-Call-Id")) request.headers.add("X-Call-Id", call.call_id);
  std::string out;
  http::write_request_line(out, request.method, request.target);
  http::write_headers(out, request.headers);
  http::write_header(out, "Content-Length", std::to_string(call.body.size()));
  http::end_head(out);
  out += call.body;
  return out;
}

httphost::HostEnvironment host_environment(const Config& config, const Call& call) {
  auto host = httphost::HostEnvironment::from_config(config);
  if (auto* problem = std::get_if<std::string>(&host)) throw std::invalid_argument("fdk::testing: " + *problem);
  auto environment = std::get<httphost::HostEnvironment>(std::move(host));
  if (call.timeout.count() > 0) environment.default_timeout = call.timeout;  // stands for FDK_TIMEOUT
  return environment;
}

// The live runtime takes the memory size from the container's cgroup, which for a test is the
// test's own, not the function's: none (0).
protocol::FunctionEnvironment host_function_environment(std::shared_ptr<const Config> config, const Call& call) {
  auto environment = protocol::FunctionEnvironment::from_config(std::move(config));
  environment.deadline_margin = call.options.deadline_margin;
  environment.function.memory_mb = 0;
  return environment;
}

// What the libuv server does with one complete request (runtime/server.cpp, start_call and
// serve_on_worker), on one thread.
protocol::Outcome serve_request(const Handler& handler, const runtime::CallProtocol& call_protocol,
                                protocol::RawRequest request, protocol::SystemTime now) {
  protocol::PreparedCall call;
  if (auto refused = call_protocol.accept(std::move(request), now, call)) return std::move(*refused);
  bool head_only = call_protocol.head_only(call);
  if (call.context.deadline() <= now) {
    return protocol::to_outcome(core::deadline_result(call.context.call_id(), call.context.deadline()), head_only);
  }
  return protocol::to_outcome(run_until_deadline(handler, call), head_only);
}

Result read_http_response(std::string wire, bool to_head) {
  using Kind = protocol::MessageParser::Kind;
  protocol::MessageParser parser(kAnswerLimits, to_head ? Kind::response_to_head : Kind::response);
  std::size_t consumed = 0;
  auto status = parser.feed(wire, consumed);
  if (status == protocol::MessageParser::Status::need_more) status = parser.finish();
  if (status != protocol::MessageParser::Status::complete) {
    throw std::logic_error("fdk::testing: the FDK wrote a response it cannot parse: " + parser.error_message());
  }
  protocol::RawResponse response = parser.take_message();
  Result result;
  result.platform = Platform::http;
  result.status = response.status;
  result.content_type = response.headers.get_or("Content-Type", "");
  result.headers = response.headers;
  result.wire_headers = std::move(response.headers);
  result.body = std::move(response.body);
  result.wire = std::move(wire);
  return result;
}

// Go's canonical header name (`x-call-id` -> `X-Call-Id`), as the watchdog's HTTP server has it.
std::string canonical_header_name(std::string_view name) {
  std::string out(name);
  bool upper = true;
  for (char& c : out) {
    c = static_cast<char>(upper ? std::toupper(static_cast<unsigned char>(c)) : std::tolower(static_cast<unsigned char>(c)));
    upper = c == '-';
  }
  return out;
}

}  // namespace

Result invoke_http_host(const Handler& handler, const Call& call) {
  auto now = std::chrono::system_clock::now();
  auto config = config_for(call);
  auto environment = host_function_environment(config, call);
  auto call_protocol = runtime::http_protocol(environment, host_environment(*config, call), limits_of(call));

  protocol::MessageParser parser(limits_of(call));
  std::size_t consumed = 0;
  std::string bytes = request_bytes(call);
  auto parsed = parser.feed(bytes, consumed);
  protocol::Outcome outcome;
  bool close = false;
  if (parsed == protocol::MessageParser::Status::complete) {
    outcome = serve_request(handler, *call_protocol, parser.take_message(), now);
  } else {  // as the server answers bytes that are not a request it serves, and closes
    outcome = protocol::malformed_request_outcome(parser.error_message());
    close = true;
  }
  if (!outcome.log_line.empty()) runtime::write_stderr_line(call_protocol->log_line(outcome.log_line));
  runtime::EncodedAnswer answer = call_protocol->encode(std::move(outcome), close);
  std::string wire = answer.head;
  wire.append(answer.body());  // the server writes the two as one
  return read_http_response(std::move(wire), answer.outcome.omit_body);
}

std::map<std::string, std::string, std::less<>> watchdog_variables(const Call& call) {
  CallerRequest request = caller_request(call);
  std::map<std::string, std::string, std::less<>> variables;
  variables["Http_Method"] = request.method;
  variables["Http_Path"] = request.path;
  if (!request.raw_query.empty()) variables["Http_Query"] = request.raw_query;
  variables["Http_Host"] = request.headers.get_or("Host", request.authority);
  if (!call.call_id.empty()) variables["Http_X_Call_Id"] = call.call_id;
  for (const auto& [name, value] : request.headers) {
    if (iequals(name, "Host")) continue;
    std::string variable = "Http_" + canonical_header_name(name);
    for (char& c : variable) {
      if (c == '-') c = '_';
    }
    variables.emplace(std::move(variable), value);  // the first value only, as the watchdog keeps
  }
  return variables;
}

Result invoke_stdio(const Handler& handler, const Call& call) {
  auto now = std::chrono::system_clock::now();
  auto entries = config_for(call)->entries();
  for (auto& [name, value] : watchdog_variables(call)) entries[name] = std::move(value);
  auto config = std::make_shared<const Config>(std::move(entries));
  auto environment = host_function_environment(config, call);

  std::optional<std::chrono::milliseconds> timeout;
  if (call.timeout.count() > 0) {
    timeout = call.timeout;  // stands for exec_timeout
  } else {
    auto inherited = httphost::timeout_variable(*config, "exec_timeout");
    if (auto* problem = std::get_if<std::string>(&inherited)) throw std::invalid_argument("fdk::testing: " + *problem);
    timeout = std::get<0>(inherited);
  }
  std::size_t limit = call.options.max_body_bytes;
  auto prepared = httphost::stdio_call(*config, environment, timeout, call.body.substr(0, limit + 1), now);
  protocol::Outcome outcome =
      call.body.size() > limit
          ? protocol::to_outcome(core::too_large_result(prepared.context.call_id(), call.body.size(), limit))
          : protocol::to_outcome(run_until_deadline(handler, prepared));
  if (!outcome.log_line.empty()) runtime::write_stderr_line(outcome.log_line);

  Result result;
  result.platform = Platform::stdio;
  result.exit_code = httphost::stdio_exit_status(outcome);
  result.status = result.exit_code == httphost::kStdioExitOk ? 200 : 500;  // what the watchdog answers
  result.body = outcome.response.body();
  result.wire = result.body;
  return result;
}

}  // namespace fdk::testing::detail
