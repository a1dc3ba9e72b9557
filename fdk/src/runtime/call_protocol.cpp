#include "runtime/call_protocol.hpp"

#include "httphost/request_mapping.hpp"
#include "httphost/response_rendering.hpp"

namespace fdk::runtime {

namespace {

class FnProtocol final : public CallProtocol {
 public:
  FnProtocol(protocol::FunctionEnvironment env, protocol::ParserLimits limits)
      : env_(std::move(env)), limits_(limits) {}

  std::optional<protocol::Outcome> accept(protocol::RawRequest&& request, protocol::SystemTime now,
                                          protocol::PreparedCall& call) const override {
    return protocol::accept_request(std::move(request), env_, limits_, now, call);
  }
  EncodedAnswer encode(protocol::Outcome outcome, bool close_connection) const override {
    std::string head = protocol::encode_outcome_head(outcome, close_connection);
    bool with_body = !outcome.omit_body;
    return EncodedAnswer{std::move(head), std::move(outcome), with_body};
  }
  const char* replacer() const override { return "the Fn agent"; }

 private:
  protocol::FunctionEnvironment env_;
  protocol::ParserLimits limits_;
};

class HttpProtocol final : public CallProtocol {
 public:
  HttpProtocol(protocol::FunctionEnvironment env, httphost::HostEnvironment host, protocol::ParserLimits limits)
      : env_(std::move(env)), host_(std::move(host)), limits_(limits) {}

  std::optional<protocol::Outcome> accept(protocol::RawRequest&& request, protocol::SystemTime now,
                                          protocol::PreparedCall& call) const override {
    return httphost::accept_http_request(std::move(request), host_, env_, limits_, now, call);
  }
  EncodedAnswer encode(protocol::Outcome outcome, bool close_connection) const override {
    std::string head = httphost::encode_http_head(outcome, close_connection, std::chrono::system_clock::now());
    bool with_body = httphost::sends_body(outcome);
    return EncodedAnswer{std::move(head), std::move(outcome), with_body};
  }
  std::string log_line(const std::string& line) const override { return httphost::with_severity(line); }
  bool head_only(const protocol::PreparedCall& call) const override { return call.context.gateway().method == "HEAD"; }
  const char* replacer() const override { return "the platform"; }

 private:
  protocol::FunctionEnvironment env_;
  httphost::HostEnvironment host_;
  protocol::ParserLimits limits_;
};

}  // namespace

std::unique_ptr<CallProtocol> fn_protocol(protocol::FunctionEnvironment env, protocol::ParserLimits limits) {
  return std::make_unique<FnProtocol>(std::move(env), limits);
}

std::unique_ptr<CallProtocol> http_protocol(protocol::FunctionEnvironment env, httphost::HostEnvironment host,
                                            protocol::ParserLimits limits) {
  return std::make_unique<HttpProtocol>(std::move(env), std::move(host), limits);
}

}  // namespace fdk::runtime
