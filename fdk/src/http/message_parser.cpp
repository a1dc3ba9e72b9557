#include "http/message_parser.hpp"

#include <llhttp.h>

namespace fdk::http {

namespace {
// Room for the headers of a typical message (the Fn agent sends about ten), so that the list
// is allocated once instead of growing four times.
constexpr std::size_t kExpectedHeaders = 16;
}  // namespace

struct MessageParser::Impl {
  llhttp_t parser{};
  llhttp_settings_t settings{};
  ParserLimits limits;
  bool skip_body = false;

  RawMessage current;
  std::string field;
  std::string value;
  bool reading_value = false;
  std::size_t header_bytes = 0;
  bool started = false;
  bool complete = false;
  bool headers_too_large = false;
  std::string error;

  Impl(ParserLimits l, MessageParser::Kind kind) : limits(l), skip_body(kind == MessageParser::Kind::response_to_head) {
    llhttp_settings_init(&settings);
    settings.on_message_begin = on_message_begin;
    settings.on_url = on_url;
    settings.on_header_field = on_header_field;
    settings.on_header_value = on_header_value;
    settings.on_headers_complete = on_headers_complete;
    settings.on_body = on_body;
    settings.on_message_complete = on_message_complete;
    llhttp_init(&parser, kind == MessageParser::Kind::request ? HTTP_REQUEST : HTTP_RESPONSE, &settings);
    parser.data = this;
  }

  static Impl& self(llhttp_t* p) { return *static_cast<Impl*>(p->data); }

  // An informational answer (RFC 9110 15.2) precedes the real one; 101 is final (it ends HTTP).
  static bool is_interim(const llhttp_t* p) {
    return p->type == HTTP_RESPONSE && p->status_code >= 100 && p->status_code < 200 && p->status_code != 101;
  }

  // Counts request-line and header bytes; refusing past the limit stops a slow flood of
  // headers from growing memory without bound.
  int count_header_bytes(std::size_t n) {
    header_bytes += n;
    if (header_bytes > limits.max_header_bytes) {
      headers_too_large = true;
      return -1;
    }
    return 0;
  }

  // Copied, not moved: `field` and `value` keep their capacity, so the next header is
  // appended without allocating or growing them again.
  void flush_header() {
    if (!field.empty()) current.headers.add(field, value);
    field.clear();
    value.clear();
    reading_value = false;
  }

  static int on_message_begin(llhttp_t* p) {
    Impl& s = self(p);
    s.current = RawMessage{};
    s.current.headers.reserve(kExpectedHeaders);
    s.field.clear();
    s.value.clear();
    s.reading_value = false;
    s.header_bytes = 0;
    s.started = true;
    return 0;
  }
  static int on_url(llhttp_t* p, const char* at, std::size_t n) {
    Impl& s = self(p);
    s.current.target.append(at, n);
    return s.count_header_bytes(n);
  }
  static int on_header_field(llhttp_t* p, const char* at, std::size_t n) {
    Impl& s = self(p);
    if (s.reading_value) s.flush_header();
    s.field.append(at, n);
    return s.count_header_bytes(n);
  }
  static int on_header_value(llhttp_t* p, const char* at, std::size_t n) {
    Impl& s = self(p);
    s.reading_value = true;
    s.value.append(at, n);
    return s.count_header_bytes(n);
  }
  static int on_headers_complete(llhttp_t* p) {
    Impl& s = self(p);
    s.flush_header();
    if (p->type == HTTP_REQUEST) {
      s.current.method = llhttp_method_name(static_cast<llhttp_method_t>(p->method));
    } else {
      s.current.status = p->status_code;
    }
    return s.skip_body ? 1 : 0;  // 1 tells llhttp that no body follows
  }
  static int on_body(llhttp_t* p, const char* at, std::size_t n) {
    Impl& s = self(p);
    s.current.body_bytes_seen += n;
    if (s.current.body_bytes_seen > s.limits.max_body_bytes) {
      // Keep reading (the caller must get an answer, and the connection stays usable)
      // but stop storing: memory stays bounded whatever the sender does.
      if (!s.current.body_too_large) std::string().swap(s.current.body);
      s.current.body_too_large = true;
      return 0;
    }
    s.current.body.append(at, n);
    return 0;
  }
  static int on_message_complete(llhttp_t* p) {
    Impl& s = self(p);
    if (is_interim(p)) {
      s.started = false;  // the final response follows on the same connection
      return 0;
    }
    s.current.keep_alive = llhttp_should_keep_alive(p) != 0;
    s.complete = true;
    s.started = false;
    return HPE_PAUSED;  // one request at a time: the rest waits until this one is answered
  }
};

MessageParser::MessageParser(ParserLimits limits, Kind kind) : impl_(std::make_unique<Impl>(limits, kind)) {}
MessageParser::~MessageParser() = default;

MessageParser::Status MessageParser::feed(std::string_view data, std::size_t& consumed) {
  consumed = 0;
  if (!impl_->error.empty()) return Status::error;
  if (impl_->complete) return Status::complete;
  llhttp_errno_t err = llhttp_execute(&impl_->parser, data.data(), data.size());
  if (err == HPE_OK) {
    consumed = data.size();
    return Status::need_more;
  }
  if (err == HPE_PAUSED && impl_->complete) {
    consumed = static_cast<std::size_t>(llhttp_get_error_pos(&impl_->parser) - data.data());
    llhttp_resume(&impl_->parser);
    return Status::complete;
  }
  if (impl_->headers_too_large) {
    impl_->error = "The request line and headers are larger than the limit of " +
                   std::to_string(impl_->limits.max_header_bytes) +
                   " bytes (FDK_MAX_HEADER_BYTES raises it).";
  } else {
    const char* reason = llhttp_get_error_reason(&impl_->parser);
    impl_->error = std::string("The message is not valid HTTP/1.1 (") + llhttp_errno_name(err) + ": " +
                   (reason ? reason : "no detail") + ").";
  }
  return Status::error;
}

MessageParser::Status MessageParser::finish() {
  if (!impl_->error.empty()) return Status::error;
  if (!impl_->started) return Status::need_more;
  // When EOF ends a response body, llhttp reports our on_message_complete's pause.
  llhttp_errno_t err = llhttp_finish(&impl_->parser);
  if ((err == HPE_OK || err == HPE_PAUSED) && impl_->complete) return Status::complete;
  impl_->error = "The connection closed in the middle of a message.";
  return Status::error;
}

RawMessage MessageParser::take_message() {
  impl_->complete = false;
  return std::move(impl_->current);
}

const std::string& MessageParser::error_message() const noexcept { return impl_->error; }
bool MessageParser::headers_too_large() const noexcept { return impl_->headers_too_large; }
bool MessageParser::in_progress() const noexcept { return impl_->started; }

}  // namespace fdk::http
