#include "http/message_parser.hpp"

#include <llhttp.h>

#include "header_slots.hpp"

namespace fdk::http {

namespace {
// Room for the headers of a typical message (the Fn agent sends about ten), so that the list
// is allocated once instead of growing four times.
constexpr std::size_t kExpectedHeaders = 16;
// A spent message's body keeps its storage for the next message up to this size; a larger one
// is released, so one big request does not stay resident for the life of the connection.
constexpr std::size_t kReusedBodyCapacity = 64 * 1024;

// A header name or value as llhttp hands it over. It nearly always comes in one piece, which
// points into the bytes being parsed and becomes the header's string with one copy; only a
// text split across reads is gathered in `spill`. (Gathering every text first cost a second
// copy and an append per piece, on every header of every call.)
class HeaderText {
 public:
  void add(const char* at, std::size_t n) {
    if (!spilled_ && piece_.empty()) {
      piece_ = std::string_view(at, n);
      return;
    }
    keep();
    spill_.append(at, n);
  }
  /// The piece points into bytes llhttp is done with once llhttp_execute returns: copy it.
  void keep() {
    if (spilled_ || piece_.empty()) return;
    spill_.assign(piece_);
    spilled_ = true;
  }
  [[nodiscard]] std::string_view text() const noexcept { return spilled_ ? std::string_view(spill_) : piece_; }
  void clear() noexcept {
    piece_ = {};
    spill_.clear();  // keeps its capacity for the next split text
    spilled_ = false;
  }

 private:
  std::string_view piece_;
  std::string spill_;
  bool spilled_ = false;
};
}  // namespace

struct MessageParser::Impl {
  llhttp_t parser{};
  llhttp_settings_t settings{};
  ParserLimits limits;
  bool skip_body = false;

  RawMessage current;
  /// The header list and body of a message given back by reuse(): the next message is parsed
  /// into their storage (empty, with none, when nothing was given back).
  Headers spare_headers;
  std::string spare_body;
  /// Headers of `current` filled so far; entries past it are the spare's, to be overwritten.
  std::size_t headers_filled = 0;
  HeaderText field;
  HeaderText value;
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
    settings.on_header_value_complete = on_header_value_complete;
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

  void flush_header() {
    if (!field.text().empty()) detail::HeaderSlots::put(current.headers, headers_filled++, field.text(), value.text());
    field.clear();
    value.clear();
  }

  // The new message starts empty, with the spare header list and body storage when there are.
  void begin_message() {
    current = RawMessage{};
    current.headers = std::move(spare_headers);
    current.headers.reserve(kExpectedHeaders);  // nothing to do for a reused list
    current.body = std::move(spare_body);
    current.body.clear();
    headers_filled = 0;
  }

  static int on_message_begin(llhttp_t* p) {
    Impl& s = self(p);
    s.begin_message();
    s.field.clear();
    s.value.clear();
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
    s.field.add(at, n);
    return s.count_header_bytes(n);
  }
  static int on_header_value(llhttp_t* p, const char* at, std::size_t n) {
    Impl& s = self(p);
    s.value.add(at, n);
    return s.count_header_bytes(n);
  }
  static int on_header_value_complete(llhttp_t* p) {
    self(p).flush_header();
    return 0;
  }
  static int on_headers_complete(llhttp_t* p) {
    Impl& s = self(p);
    s.flush_header();
    detail::HeaderSlots::keep_first(s.current.headers, s.headers_filled);
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
  impl_->field.keep();  // a header cut off by the end of `data`
  impl_->value.keep();
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

void MessageParser::reuse(RawMessage&& spent) noexcept {
  impl_->spare_headers = std::move(spent.headers);
  if (spent.body.capacity() <= kReusedBodyCapacity) impl_->spare_body = std::move(spent.body);
}

const std::string& MessageParser::error_message() const noexcept { return impl_->error; }
bool MessageParser::headers_too_large() const noexcept { return impl_->headers_too_large; }
bool MessageParser::in_progress() const noexcept { return impl_->started; }

}  // namespace fdk::http
