#include "oci/http/response_parser.hpp"

#include <llhttp.h>

#include "fdk/oci/call_errors.hpp"

namespace fdk::oci::http {

struct ResponseParser::State {
  llhttp_t parser{};
  llhttp_settings_t settings{};
  HttpResponse response;
  std::string field, value;
  bool in_value = false;
  bool started = false;
  bool complete = false;
  bool head_request = false;

  static State& of(llhttp_t* parser) { return *static_cast<State*>(parser->data); }

  void flush_header() {
    if (!field.empty()) response.headers.add(std::move(field), std::move(value));
    field.clear();
    value.clear();
    in_value = false;
  }
};

namespace {

int on_message_begin(llhttp_t* parser) {
  ResponseParser::State::of(parser).started = true;
  return 0;
}
int on_header_field(llhttp_t* parser, const char* at, std::size_t length) {
  auto& state = ResponseParser::State::of(parser);
  if (state.in_value) state.flush_header();
  state.field.append(at, length);
  return 0;
}
int on_header_value(llhttp_t* parser, const char* at, std::size_t length) {
  auto& state = ResponseParser::State::of(parser);
  state.in_value = true;
  state.value.append(at, length);
  return 0;
}
int on_headers_complete(llhttp_t* parser) {
  auto& state = ResponseParser::State::of(parser);
  state.flush_header();
  state.response.status = llhttp_get_status_code(parser);
  return state.head_request ? 1 : 0;
}
int on_body(llhttp_t* parser, const char* at, std::size_t length) {
  ResponseParser::State::of(parser).response.body.append(at, length);
  return 0;
}
int on_message_complete(llhttp_t* parser) {
  auto& state = ResponseParser::State::of(parser);
  state.complete = true;
  state.response.keep_alive = llhttp_should_keep_alive(parser) != 0;
  return HPE_PAUSED;  // one response per exchange; bytes after it are not ours
}

}  // namespace

ResponseParser::ResponseParser(bool head_request) : state_(std::make_unique<State>()) {
  llhttp_settings_init(&state_->settings);
  state_->settings.on_message_begin = on_message_begin;
  state_->settings.on_header_field = on_header_field;
  state_->settings.on_header_value = on_header_value;
  state_->settings.on_headers_complete = on_headers_complete;
  state_->settings.on_body = on_body;
  state_->settings.on_message_complete = on_message_complete;
  llhttp_init(&state_->parser, HTTP_RESPONSE, &state_->settings);
  state_->parser.data = state_.get();
  state_->head_request = head_request;
}

ResponseParser::~ResponseParser() = default;

bool ResponseParser::feed(std::string_view bytes) {
  if (state_->complete) return true;
  const llhttp_errno_t rc = llhttp_execute(&state_->parser, bytes.data(), bytes.size());
  if (rc != HPE_OK && rc != HPE_PAUSED) {
    throw NetworkError(std::string("malformed HTTP response: ") + llhttp_get_error_reason(&state_->parser), true);
  }
  return state_->complete;
}

void ResponseParser::finish() {
  if (state_->complete) return;
  // llhttp_finish reports our on_message_complete's HPE_PAUSED when EOF ends the body.
  const llhttp_errno_t rc = state_->started ? llhttp_finish(&state_->parser) : HPE_OK;
  if ((rc == HPE_OK || rc == HPE_PAUSED) && state_->complete) {
    state_->response.keep_alive = false;
    return;
  }
  throw NetworkError(state_->started ? "the connection closed before the whole response arrived"
                                     : "the connection closed before any response arrived",
                     true);
}

bool ResponseParser::complete() const noexcept { return state_->complete; }
bool ResponseParser::started() const noexcept { return state_->started; }
HttpResponse& ResponseParser::response() noexcept { return state_->response; }

}  // namespace fdk::oci::http
