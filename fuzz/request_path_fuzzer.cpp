// libFuzzer target over the whole request path, minus the socket:
// raw bytes -> parser -> context mapping -> handler -> response encoding -> parse back.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string_view>

#include "core/run_handler.hpp"
#include "protocol/call_flow.hpp"
#include "protocol/message_parser.hpp"

namespace {

using namespace fdk::protocol;

const FunctionEnvironment& environment() {
  static const FunctionEnvironment env = FunctionEnvironment::from_config(std::make_shared<const fdk::Config>(
      std::map<std::string, std::string, std::less<>>{{"OCI_TRACING_ENABLED", "1"},
                                                      {"FN_LOGFRAME_NAME", "call"},
                                                      {"FN_LOGFRAME_HDR", "Fn-Call-Id"}}));
  return env;
}

// Touches everything the context exposes, and echoes pieces of it back through headers,
// so the encoder sees request-controlled names and values.
fdk::Response echo(fdk::Context& ctx, std::string_view body) {
  auto response = fdk::Response::text(std::string(body), static_cast<int>(body.size() % 700));
  for (const auto& [name, value] : ctx.gateway().headers) response.add_header(name, value);
  for (const auto& [name, value] : ctx.gateway().query) response.add_header(name, value);
  response.set_content_type(ctx.content_type());
  (void)ctx.time_remaining();
  (void)ctx.tracing().sampled;
  (void)ctx.platform_attribute(body);
  if (body == "throw") throw std::runtime_error("fuzz");
  return response;
}

void check_response_parses(const std::string& wire) {
  MessageParser parser(ParserLimits{1 << 20, 1 << 20}, MessageParser::Kind::response);
  std::size_t consumed = 0;
  auto status = parser.feed(wire, consumed);
  if (status != MessageParser::Status::complete) std::abort();  // we encoded something unparseable
  auto response = parser.take_message();
  if (response.status != 200 && response.status != 502 && response.status != 504) std::abort();
}

void serve(RawRequest request) {
  auto accepted = accept_request(std::move(request), environment(), ParserLimits{4096, 4096},
                                 std::chrono::system_clock::now());
  Outcome outcome;
  if (auto* refused = std::get_if<Outcome>(&accepted)) {
    outcome = std::move(*refused);
  } else {
    auto& call = std::get<PreparedCall>(accepted);
    outcome = to_outcome(fdk::core::run_handler(echo, call.context, call.body));
  }
  check_response_parses(encode_outcome(outcome, false));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  MessageParser parser(ParserLimits{4096, 4096});
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // Several requests may be pipelined in one input.
  for (int served = 0; served < 8; ++served) {
    std::size_t consumed = 0;
    auto status = parser.feed(input, consumed);
    input.remove_prefix(consumed);
    if (status == MessageParser::Status::complete) {
      serve(parser.take_message());
      continue;
    }
    if (status == MessageParser::Status::error) check_response_parses(encode_outcome(malformed_request_outcome(parser.error_message()), true));
    break;
  }
  return 0;
}
