#include "oci/http/response_parser.hpp"

#include "fdk/oci/call_errors.hpp"
#include "http/message_parser.hpp"

namespace fdk::oci::http {

namespace {
// A service's answer is trusted to be sane, but not unbounded: these limits only stop a
// broken peer from exhausting memory.
fdk::http::ParserLimits response_limits(std::size_t max_body_bytes) {
  fdk::http::ParserLimits limits;
  limits.max_header_bytes = 1u << 20;
  limits.max_body_bytes = max_body_bytes;
  return limits;
}

[[noreturn]] void body_too_large(std::size_t limit) {
  throw NetworkError("the response body is larger than the limit of " + std::to_string(limit) +
                         " bytes (raise max_response_bytes in fdk::oci::ClientOptions or TransportOptions if such answers are expected)",
                     false);
}
}  // namespace

// The llhttp work is the HTTP module's MessageParser; this adapts it to the client's needs
// (exceptions instead of status codes, a response that is complete or not).
struct ResponseParser::State {
  fdk::http::MessageParser parser;
  HttpResponse response;
  bool complete = false;
  std::size_t max_body_bytes;
  std::size_t bytes_fed = 0;

  State(bool head_request, std::size_t max_body)
      : parser(response_limits(max_body), head_request ? fdk::http::MessageParser::Kind::response_to_head
                                                       : fdk::http::MessageParser::Kind::response),
        max_body_bytes(max_body) {}

  void take() {
    fdk::http::RawResponse message = parser.take_message();
    if (message.body_too_large) body_too_large(max_body_bytes);
    response.status = message.status;
    response.headers = std::move(message.headers);
    response.body = std::move(message.body);
    response.keep_alive = message.keep_alive;
    complete = true;
  }
};

ResponseParser::ResponseParser(bool head_request, std::size_t max_body_bytes)
    : state_(std::make_unique<State>(head_request, max_body_bytes)) {}

ResponseParser::~ResponseParser() = default;

bool ResponseParser::feed(std::string_view bytes) {
  if (state_->complete) return true;
  // Headers are bounded by the parser; past that, more bytes than the body limit mean the body
  // is over it: stop reading now rather than at the end of a body of any length.
  state_->bytes_fed += bytes.size();
  if (state_->bytes_fed > state_->max_body_bytes + response_limits(0).max_header_bytes) {
    body_too_large(state_->max_body_bytes);
  }
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
