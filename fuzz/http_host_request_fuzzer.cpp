// libFuzzer target over the HTTP-host request path, minus the socket: raw bytes -> parser ->
// HTTP-host mapping (call id, deadline, Forwarded, traceparent, CloudEvents) -> handler ->
// response rendering -> parse back; and the header parsers on the raw bytes themselves.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/run_handler.hpp"
#include "duration.hpp"
#include "httphost/forwarded.hpp"
#include "httphost/request_mapping.hpp"
#include "httphost/response_rendering.hpp"
#include "httphost/trace_headers.hpp"
#include "protocol/message_parser.hpp"

namespace {

using namespace fdk;
using Values = std::map<std::string, std::string, std::less<>>;

const httphost::HostEnvironment& host() {
  static const auto env = std::get<httphost::HostEnvironment>(httphost::HostEnvironment::from_config(
      Config(Values{{"mode", "http"}, {"exec_timeout", "10s"}, {"K_SERVICE", "fuzz"}})));
  return env;
}

const protocol::FunctionEnvironment& function_env() {
  static const auto env = protocol::FunctionEnvironment::from_config(std::make_shared<const Config>());
  return env;
}

Response echo(Context& ctx, std::string_view body) {
  auto response = Response::text(std::string(body), 200 + static_cast<int>(body.size() % 400));
  for (const auto& [name, value] : ctx.gateway().headers) response.add_header(name, value);
  if (ctx.cloud_event()) response.add_header("ce-id", ctx.cloud_event()->id);
  (void)ctx.tracing().sampled;
  return response;
}

void check_parsers(std::string_view text) {
  if (auto timeout = detail::parse_timeout(text)) {
    if (timeout->count() < 0 || *timeout > std::chrono::hours(24 * 30)) std::abort();
  }
  if (auto parent = httphost::parse_traceparent(text)) {
    if (parent->trace_id.size() != 32 || parent->parent_id.size() != 16) std::abort();
  }
  if (auto proto = httphost::forwarded_proto(text)) (void)proto->size();
}

void check_response_parses(const std::string& wire, bool head_only) {
  http::MessageParser parser(http::ParserLimits{1 << 20, 1 << 20}, head_only
                                                                       ? http::MessageParser::Kind::response_to_head
                                                                       : http::MessageParser::Kind::response);
  std::size_t consumed = 0;
  if (parser.feed(wire, consumed) != http::MessageParser::Status::complete) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  check_parsers(input);
  http::MessageParser parser(http::ParserLimits{4096, 4096});
  std::size_t consumed = 0;
  if (parser.feed(input, consumed) != http::MessageParser::Status::complete) return 0;
  auto now = std::chrono::system_clock::now();
  auto accepted = httphost::accept_http_request(parser.take_message(), host(), function_env(),
                                                http::ParserLimits{4096, 4096}, now);
  protocol::Outcome outcome;
  if (auto* call = std::get_if<protocol::PreparedCall>(&accepted)) {
    const auto& gateway = call->context.gateway();
    if (call->context.call_id().empty()) std::abort();
    if (gateway.request_url.rfind("http://", 0) != 0 && gateway.request_url.rfind("https://", 0) != 0) std::abort();
    if (call->context.deadline() > now + std::chrono::seconds(10)) std::abort();  // exec_timeout caps it
    outcome = protocol::to_outcome(core::run_handler(echo, call->context, call->body));
  } else {
    outcome = std::get<protocol::Outcome>(std::move(accepted));
  }
  check_response_parses(httphost::encode_http_response(outcome, false, now), outcome.omit_body);
  return 0;
}
