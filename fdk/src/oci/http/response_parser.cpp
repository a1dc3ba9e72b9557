#include "oci/http/response_parser.hpp"

#include "fdk/oci/call_errors.hpp"
#include "http/message_parser.hpp"

namespace fdk::oci::http {

namespace {
// A service's answer is trusted to be sane, but not unbounded: these limits only stop a
// broken peer from exhausting memory.
fdk::http::ParserLimits response_limits() {
  fdk::http::ParserLimits limits;
  limits.max_header_bytes = 1u << 20;
  limits.max_body_bytes = std::size_t(1) << 31;
  return limits;
}
}  // namespace

// The llhttp work is the HTTP module's MessageParser; this adapts it to the client's needs
// (exceptions instead of status codes, a response that is complete or not).
struct ResponseParser::State {
  fdk::http::MessageParser parser;
  HttpResponse response;
  bool complete = false;

  explicit State(bool head_request)
      : parser(response_limits(), head_request ? fdk::http::MessageParser::Kind::response_to_head
                                               : fdk::http::MessageParser::Kind::response) {}

  void take() {
    fdk::http::RawResponse message = parser.take_message();
    response.status = message.status;
    response.headers = std::move(message.headers);
    response.body = std::move(message.body);
    response.keep_alive = message.keep_alive;
    complete = true;
  }
};

ResponseParser::ResponseParser(bool head_request) : state_(std::make_unique<State>(head_request)) {}

ResponseParser::~ResponseParser() = default;

bool ResponseParser::feed(std::string_view bytes) {
  if (state_->complete) return true;
  std::size_t consumed = 0;
  auto status = state_->parser.feed(bytes, consumed);
  if (status == fdk::http::MessageParser::Status::error) {
    throw NetworkError("malformed HTTP response: " + state_->parser.error_message(), true);
  }
  if (status == fdk::http::MessageParser::Status::complete) state_->take();
  return state_->complete;
}

void ResponseParser::finish() {
  if (state_->complete) return;
  bool started = state_->parser.in_progress();
  if (started && state_->parser.finish() == fdk::http::MessageParser::Status::complete) {
    state_->take();
    state_->response.keep_alive = false;  // the body ran to EOF
    return;
  }
  throw NetworkError(started ? "the connection closed before the whole response arrived"
                             : "the connection closed before any response arrived",
                     true);
}

bool ResponseParser::complete() const noexcept { return state_->complete; }
bool ResponseParser::started() const noexcept { return state_->complete || state_->parser.in_progress(); }
HttpResponse& ResponseParser::response() noexcept { return state_->response; }

}  // namespace fdk::oci::http
