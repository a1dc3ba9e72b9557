#include <cstring>

#include "ascii.hpp"
#include "http/status_text.hpp"
#include "protocol/outcome.hpp"
#include "protocol/runtime_identity.hpp"

namespace fdk::protocol {

namespace {

// Headers the FDK owns: a handler's copy would contradict the framing we send.
bool is_framing_header(std::string_view name) {
  return detail::ascii_iequals(name, "Content-Length") || detail::ascii_iequals(name, "Transfer-Encoding") ||
         detail::ascii_iequals(name, "Connection");
}

// A number as decimal text, kept on the stack. Written from the last digit back: statuses
// and lengths are a few digits, for which std::to_chars's general path costs several times more.
class Decimal {
 public:
  explicit Decimal(long long value) {
    // Negated in unsigned arithmetic: the most negative value has no positive counterpart.
    unsigned long long magnitude = static_cast<unsigned long long>(value);
    if (value < 0) magnitude = ~magnitude + 1;
    do {
      *--begin_ = static_cast<char>('0' + magnitude % 10);
      magnitude /= 10;
    } while (magnitude != 0);
    if (value < 0) *--begin_ = '-';
  }
  [[nodiscard]] std::string_view text() const noexcept {
    return {begin_, static_cast<std::size_t>(digits_ + sizeof digits_ - begin_)};
  }

 private:
  char digits_[24];  // 2^64 has 20 digits, and a sign
  char* begin_ = digits_ + sizeof digits_;
};

// The head as a sequence of pieces, handed to `emit`: the same sequence is first measured,
// then copied, so that the head is allocated once at its exact size (appending piece by piece
// cost a size check and a length update per piece, on every call's path).
template <typename Emit>
void emit_head(const Outcome& outcome, bool close_connection, Emit&& emit) {
  const Response& response = outcome.response;
  const Decimal agent_status(outcome.agent_status);
  emit("HTTP/1.1 ");
  emit(agent_status.text());
  emit(" ");
  emit(http::status_text(outcome.agent_status));
  emit("\r\n");

  std::string_view content_type = response.content_type();
  if (outcome.agent_status == 200) {
    emit("Fn-Http-Status: ");
    emit(Decimal(response.status()).text());
    emit("\r\n");
    for (const auto& [name, value] : response.headers()) {
      if (detail::ascii_iequals(name, "Content-Type")) {
        content_type = value;  // Content-Type travels raw so the gateway keeps it
      } else if (!is_framing_header(name)) {
        emit("Fn-Http-H-");
        emit(name);
        emit(": ");
        emit(value);
        emit("\r\n");
      }
    }
  }
  if (!content_type.empty()) {
    emit("Content-Type: ");
    emit(content_type);
    emit("\r\n");
  }
  emit(fdk_identification_lines());
  if (!outcome.omit_body) {
    emit("Content-Length: ");
    emit(Decimal(static_cast<long long>(response.body().size())).text());
    emit("\r\n");
  }
  if (close_connection) emit("Connection: close\r\n");
  emit("\r\n");
}

}  // namespace

std::string encode_outcome_head(const Outcome& outcome, bool close_connection) {
  std::size_t size = 0;
  emit_head(outcome, close_connection, [&size](std::string_view piece) { size += piece.size(); });
  std::string out(size, '\0');
  char* cursor = out.data();
  emit_head(outcome, close_connection, [&cursor](std::string_view piece) {
    std::memcpy(cursor, piece.data(), piece.size());
    cursor += piece.size();
  });
  return out;
}

std::string encode_outcome(const Outcome& outcome, bool close_connection) {
  std::string out = encode_outcome_head(outcome, close_connection);
  if (!outcome.omit_body) out.append(outcome.response.body());
  return out;
}

}  // namespace fdk::protocol
