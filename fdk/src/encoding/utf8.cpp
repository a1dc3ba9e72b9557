#include "encoding/utf8.hpp"

namespace fdk::encoding {

namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0u) == 0x80u; }

// The length of the sequence a lead byte starts and the smallest code point it may encode
// (anything smaller is an overlong form); zero length for a byte that cannot lead.
struct Lead {
  int length;
  char32_t smallest;
  char32_t bits;
};

Lead lead_of(unsigned char byte) {
  if (byte < 0x80u) return {1, 0, byte};
  if ((byte & 0xE0u) == 0xC0u) return {2, 0x80, byte & 0x1Fu};
  if ((byte & 0xF0u) == 0xE0u) return {3, 0x800, byte & 0x0Fu};
  if ((byte & 0xF8u) == 0xF0u) return {4, 0x10000, byte & 0x07u};
  return {0, 0, 0};
}

}  // namespace

bool is_valid_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    Lead lead = lead_of(static_cast<unsigned char>(text[i]));
    if (lead.length == 0 || i + static_cast<std::size_t>(lead.length) > text.size()) return false;
    char32_t code_point = lead.bits;
    for (int k = 1; k < lead.length; ++k) {
      auto byte = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      if (!is_continuation(byte)) return false;
      code_point = (code_point << 6) | (byte & 0x3Fu);
    }
    if (code_point < lead.smallest || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += static_cast<std::size_t>(lead.length);
  }
  return true;
}

}  // namespace fdk::encoding
