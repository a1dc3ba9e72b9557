#include "fdk/testing.hpp"

#include <future>
#include <thread>

#include <nlohmann/json.hpp>

#include "testing/agent_request.hpp"
#include "testing/platform_calls.hpp"
#include "core/call_core.hpp"
#include "protocol/call_flow.hpp"
#include "protocol/message_parser.hpp"
#include "runtime/log.hpp"

namespace fdk::testing {

namespace {

constexpr std::string_view kGatewayHeaderPrefix = "Fn-Http-H-";

protocol::MessageParser::Status parse_all(protocol::MessageParser& parser, const std::string& bytes) {
  std::size_t consumed = 0;
  auto status = parser.feed(bytes, consumed);
  return status == protocol::MessageParser::Status::need_more ? parser.finish() : status;
}

protocol::RawRequest to_raw_request(const Call& call, protocol::SystemTime now) {
  protocol::AgentCall agent(call, now + call.timeout);
  agent.whole_second_deadline = false;

  protocol::ParserLimits limits{call.options.max_header_bytes, call.options.max_body_bytes};
  protocol::MessageParser parser(limits);
  if (parse_all(parser, protocol::encode_agent_request(agent)) != protocol::MessageParser::Status::complete) {
    throw std::invalid_argument("fdk::testing: the call cannot be sent as HTTP: " + parser.error_message());
  }
  return parser.take_message();
}

protocol::FunctionEnvironment environment_for(const Call& call) {
  auto env = protocol::FunctionEnvironment::from_config(detail::config_for(call));
  env.deadline_margin = call.options.deadline_margin;
  return env;
}

Result to_result(const protocol::Outcome& outcome) {
  protocol::MessageParser parser({1 << 20, std::size_t(1) << 40}, protocol::MessageParser::Kind::response);
  std::string wire = protocol::encode_outcome(outcome, false);
  if (parse_all(parser, wire) != protocol::MessageParser::Status::complete) {
    throw std::logic_error("fdk::testing: the FDK encoded a response it cannot parse: " + parser.error_message());
  }
  protocol::RawResponse response = parser.take_message();
  Result result;
  result.agent_status = response.status;
  result.status = response.status;
  if (auto gateway_status = response.headers.get("Fn-Http-Status")) result.status = std::stoi(*gateway_status);
  result.content_type = response.headers.get_or("Content-Type", "");
  for (const auto& [name, value] : response.headers) {
    if (name.size() > kGatewayHeaderPrefix.size() && iequals(name.substr(0, kGatewayHeaderPrefix.size()), kGatewayHeaderPrefix)) {
      result.headers.add(name.substr(kGatewayHeaderPrefix.size()), value);
    }
  }
  result.wire_headers = std::move(response.headers);
  result.body = std::move(response.body);
  result.wire = std::move(wire);
  return result;
}

Call platform_call(Platform platform, std::string method, std::string url) {
  Call call;
  call.options.platform = platform;
  call.gateway_method = std::move(method);
  call.gateway_url = std::move(url);
  if (platform == Platform::http || platform == Platform::stdio) {
    call.call_id.clear();                         // the FDK makes one up, as it does on those hosts
    call.timeout = std::chrono::milliseconds(0);  // they send no deadline
  }
  return call;
}

Call lambda_http_call(LambdaEvent event, std::string method, std::string url) {
  Call call = platform_call(Platform::lambda, std::move(method), std::move(url));
  call.lambda_event = event;
  return call;
}

Result invoke_fn(const Handler& handler, const Call& call) {
  auto now = std::chrono::system_clock::now();
  protocol::ParserLimits limits{call.options.max_header_bytes, call.options.max_body_bytes};
  auto accepted = protocol::accept_request(to_raw_request(call, now), environment_for(call), limits, now);
  if (auto* refused = std::get_if<protocol::Outcome>(&accepted)) return to_result(*refused);
  auto& prepared = std::get<protocol::PreparedCall>(accepted);
  core::CallResult outcome = detail::run_until_deadline(handler, prepared);
  if (!outcome.log_line.empty()) runtime::write_stderr_line(outcome.log_line);
  return to_result(protocol::to_outcome(std::move(outcome)));
}

}  // namespace


Call& Call::with_body(std::string value) {
  body = std::move(value);
  return *this;
}
Call& Call::with_content_type(std::string value) {
  content_type = std::move(value);
  return *this;
}
Call& Call::with_call_id(std::string value) {
  call_id = std::move(value);
  return *this;
}
Call& Call::with_timeout(std::chrono::milliseconds value) {
  timeout = value;
  return *this;
}
Call& Call::with_header(std::string name, std::string value) {
  headers.add(std::move(name), std::move(value));
  return *this;
}
Call& Call::with_config(std::string name, std::string value) {
  config[std::move(name)] = std::move(value);
  return *this;
}
Call& Call::with_gateway(std::string method, std::string url) {
  gateway_method = std::move(method);
  gateway_url = std::move(url);
  return *this;
}
Call& Call::with_gateway_header(std::string name, std::string value) {
  gateway_headers.add(std::move(name), std::move(value));
  return *this;
}


Call Call::lambda(std::string event_json) {
  Call call = lambda_http_call(LambdaEvent::raw, {}, {});
  call.gateway_method.reset();
  call.body = std::move(event_json);
  call.content_type = "application/json";
  return call;
}
Call Call::lambda_http_api(std::string method, std::string url) {
  return lambda_http_call(LambdaEvent::api_gateway_v2, std::move(method), std::move(url));
}
Call Call::lambda_rest_api(std::string method, std::string url) {
  return lambda_http_call(LambdaEvent::api_gateway_v1, std::move(method), std::move(url));
}
Call Call::lambda_alb(std::string method, std::string url) {
  return lambda_http_call(LambdaEvent::alb, std::move(method), std::move(url));
}
Call Call::http(std::string method, std::string url) {
  return platform_call(Platform::http, std::move(method), std::move(url));
}
Call Call::stdio(std::string method, std::string url) {
  return platform_call(Platform::stdio, std::move(method), std::move(url));
}

Result invoke(const Handler& handler, const Call& call) {
  switch (call.options.platform.value_or(Platform::fn)) {
    case Platform::fn:
      break;
    case Platform::lambda:
      return detail::invoke_lambda(handler, call);
    case Platform::http:
      return detail::invoke_http_host(handler, call);
    case Platform::stdio:
      return detail::invoke_stdio(handler, call);
  }
  return invoke_fn(handler, call);
}

}  // namespace fdk::testing
