#include "encoding/base64.hpp"

#include <array>
#include <cstdint>

namespace fdk::encoding {
namespace {

constexpr std::string_view kStandardAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr int kInvalid = -1;

// Maps a character to its 6-bit value for the alphabet whose last two symbols are given.
std::array<int, 256> decoding_table(char symbol62, char symbol63) {
  std::array<int, 256> table{};
  table.fill(kInvalid);
  for (std::size_t i = 0; i < 62; ++i) table[static_cast<unsigned char>(kStandardAlphabet[i])] = static_cast<int>(i);
  table[static_cast<unsigned char>(symbol62)] = 62;
  table[static_cast<unsigned char>(symbol63)] = 63;
  return table;
}

std::optional<std::string> decode_with(std::string_view text, const std::array<int, 256>& table) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  // One leftover character cannot encode a whole byte.
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    const int value = table[static_cast<unsigned char>(c)];
    if (value == kInvalid) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFFu));
    }
  }
  return out;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  auto byte_at = [&](std::size_t index) { return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[index])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group = (byte_at(i) << 16) | (byte_at(i + 1) << 8) | byte_at(i + 2);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kStandardAlphabet[(group >> shift) & 0x3Fu]);
  }
  const std::size_t remaining = bytes.size() - i;
  if (remaining > 0) {
    std::uint32_t group = byte_at(i) << 16;
    if (remaining == 2) group |= byte_at(i + 1) << 8;
    out.push_back(kStandardAlphabet[(group >> 18) & 0x3Fu]);
    out.push_back(kStandardAlphabet[(group >> 12) & 0x3Fu]);
    out.push_back(remaining == 2 ? kStandardAlphabet[(group >> 6) & 0x3Fu] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  static const auto table = decoding_table('+', '/');
  return decode_with(text, table);
}

std::optional<std::string> base64url_decode(std::string_view text) {
  static const auto table = decoding_table('-', '_');
  return decode_with(text, table);
}

}  // namespace fdk::encoding
