#include "fdk/testing.hpp"

#include <future>
#include <thread>

#include <nlohmann/json.hpp>

#include "testing/agent_request.hpp"
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
  auto config = call.config.empty()
                    ? Config::from_environment()
                    : Config(std::map<std::string, std::string, std::less<>>(call.config.begin(), call.config.end()));
  auto env = protocol::FunctionEnvironment::from_config(std::make_shared<const Config>(std::move(config)));
  env.deadline_margin = call.options.deadline_margin;
  return env;
}

// Runs the handler on its own thread, as the runtime does, and stops waiting at the deadline.
core::CallResult run_until_deadline(const Handler& handler, protocol::PreparedCall& call) {
  using Finished = std::pair<core::CallResult, protocol::SystemTime>;
  std::packaged_task<Finished()> task([&] {
    if (!call.log_frame.empty()) runtime::write_log_frame(call.log_frame);
    core::CallResult handled = core::run_handler(handler, call.context, call.body);
    return Finished{std::move(handled), std::chrono::system_clock::now()};
  });
  auto result = task.get_future();
  std::thread worker(std::move(task));
  if (result.wait_until(call.context.deadline()) != std::future_status::ready) {
    call.cancelled->store(true, std::memory_order_release);
  }
  worker.join();  // past the deadline, the handler should notice ctx.cancelled() and return
  auto [outcome, finished] = result.get();
  return core::result_at(std::move(outcome), call.context, finished);
}

Result to_result(const protocol::Outcome& outcome) {
  protocol::MessageParser parser({1 << 20, std::size_t(1) << 40}, protocol::MessageParser::Kind::response);
  if (parse_all(parser, protocol::encode_outcome(outcome, false)) != protocol::MessageParser::Status::complete) {
    throw std::logic_error("fdk::testing: the FDK encoded a response it cannot parse: " + parser.error_message());
  }
  protocol::RawResponse wire = parser.take_message();
  Result result;
  result.agent_status = wire.status;
  result.status = wire.status;
  if (auto gateway_status = wire.headers.get("Fn-Http-Status")) result.status = std::stoi(*gateway_status);
  result.content_type = wire.headers.get_or("Content-Type", "");
  for (const auto& [name, value] : wire.headers) {
    if (name.size() > kGatewayHeaderPrefix.size() && iequals(name.substr(0, kGatewayHeaderPrefix.size()), kGatewayHeaderPrefix)) {
      result.headers.add(name.substr(kGatewayHeaderPrefix.size()), value);
    }
  }
  result.wire_headers = std::move(wire.headers);
  result.body = std::move(wire.body);
  return result;
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


Result invoke(const Handler& handler, const Call& call) {
  auto now = std::chrono::system_clock::now();
  protocol::ParserLimits limits{call.options.max_header_bytes, call.options.max_body_bytes};
  auto accepted = protocol::accept_request(to_raw_request(call, now), environment_for(call), limits, now);
  if (auto* refused = std::get_if<protocol::Outcome>(&accepted)) return to_result(*refused);
  auto& prepared = std::get<protocol::PreparedCall>(accepted);
  core::CallResult outcome = run_until_deadline(handler, prepared);
  if (!outcome.log_line.empty()) runtime::write_stderr_line(outcome.log_line);
  return to_result(protocol::to_outcome(std::move(outcome)));
}

}  // namespace fdk::testing
