// The text of fdk::Response::json: exactly what nlohmann's `dump()` writes (compact, text as
// is), without its fixed costs. Each dump() builds a serializer (a 512-byte indentation buffer,
// a look-up of the locale, a shared output adapter) and writes every bracket, colon and comma
// as a separate append; for the small documents handlers answer with, that was most of the
// cost of Response::json. Inline so that no exported symbol of the fdk libraries names an
// nlohmann type. Not an API of its own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace fdk::detail::json_text {

using Json = nlohmann::json;

// Counts the bytes of the text.
class Measure {
 public:
  void put(char) noexcept { ++size_; }
  void put(std::string_view text) noexcept { size_ += text.size(); }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

 private:
  std::size_t size_ = 0;
};

// Writes the text into room already made for it.
class Write {
 public:
  explicit Write(char* cursor) noexcept : cursor_(cursor) {}
  void put(char c) noexcept { *cursor_++ = c; }
  void put(std::string_view text) noexcept {
    std::memcpy(cursor_, text.data(), text.size());
    cursor_ += text.size();
  }

 private:
  char* cursor_;
};

// dump()'s escape for a byte below 0x20, a quote or a backslash.
template <typename Out>
void put_escaped(Out& out, unsigned char byte) {
  switch (byte) {
    case '\b': out.put("\\b"); return;
    case '\t': out.put("\\t"); return;
    case '\n': out.put("\\n"); return;
    case '\f': out.put("\\f"); return;
    case '\r': out.put("\\r"); return;
    case '"': out.put("\\\""); return;
    case '\\': out.put("\\\\"); return;
    default: {
      static constexpr char kHex[] = "0123456789abcdef";
      out.put("\\u00");
      out.put(kHex[byte >> 4]);
      out.put(kHex[byte & 0xF]);
    }
  }
}

inline bool is_plain(unsigned char byte) noexcept {
  return byte >= 0x20 && byte < 0x80 && byte != '"' && byte != '\\';
}

constexpr std::uint64_t kSpaces = 0x2020202020202020;

// True when all eight bytes of `word` are plain: checked together (the classic "has a byte less
// than" bit trick), since a byte at a time costs a dozen instructions per character.
inline bool all_plain(std::uint64_t word) noexcept {
  constexpr std::uint64_t kOnes = 0x0101010101010101;
  constexpr std::uint64_t kHighBits = kOnes * 0x80;
  if (word & kHighBits) return false;  // a byte at or above 0x80
  // With every high bit clear, a byte below n borrows into its own high bit when n is taken
  // from each byte; a byte equal to c is a zero byte of word ^ c, which is below 1.
  const auto has_byte_below = [](std::uint64_t bytes, std::uint64_t n) { return ((bytes - kOnes * n) & kHighBits) != 0; };
  return !has_byte_below(word, 0x20) && !has_byte_below(word ^ (kOnes * '"'), 1) &&
         !has_byte_below(word ^ (kOnes * '\\'), 1);
}

// How many bytes at the start of `text` go out as they are: ASCII other than control
// characters, quotes and backslashes. Most strings are that way to the end.
inline std::size_t plain_length(std::string_view text) noexcept {
  std::size_t length = 0;
  std::uint64_t word;
  while (text.size() - length >= sizeof word) {
    std::memcpy(&word, text.data() + length, sizeof word);
    if (!all_plain(word)) break;
    length += sizeof word;
  }
  const std::size_t rest = text.size() - length;
  if (rest > 0 && rest < sizeof word) {  // the last bytes, padded with plain spaces to a whole word
    word = kSpaces;
    std::memcpy(&word, text.data() + length, rest);
    if (all_plain(word)) return text.size();
  }
  while (length < text.size() && is_plain(static_cast<unsigned char>(text[length]))) ++length;
  return length;
}

// A string of ASCII characters; false for any other byte, whose UTF-8 dump() checks (and
// refuses with its own exception when invalid).
template <typename Out>
bool put_string(Out& out, std::string_view text) {
  out.put('"');
  for (;;) {
    const std::size_t plain = plain_length(text);
    out.put(text.substr(0, plain));
    if (plain == text.size()) break;
    const auto byte = static_cast<unsigned char>(text[plain]);
    if (byte >= 0x80) return false;
    put_escaped(out, byte);
    text.remove_prefix(plain + 1);
  }
  out.put('"');
  return true;
}

template <typename Out>
void put_unsigned(Out& out, std::uint64_t value, bool negative) {
  char digits[21];  // 2^64 has 20 digits, and a minus sign
  char* begin = digits + sizeof digits;
  do {
    *--begin = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  if (negative) *--begin = '-';
  out.put(std::string_view(begin, static_cast<std::size_t>(digits + sizeof digits - begin)));
}

template <typename Out>
void put_integer(Out& out, std::int64_t value) {
  // Negated in unsigned arithmetic: -INT64_MIN does not fit in an int64_t.
  const bool negative = value < 0;
  const auto magnitude = static_cast<std::uint64_t>(value);
  put_unsigned(out, negative ? ~magnitude + 1 : magnitude, negative);
}

/// Puts `value` as dump() writes it. False when it holds something left to dump() itself:
/// floating-point numbers (its shortest round-trip digits), text that is not ASCII, binary.
template <typename Out>
bool put_value(Out& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: out.put("null"); return true;
    case Json::value_t::boolean: out.put(value.get<bool>() ? "true" : "false"); return true;
    case Json::value_t::number_integer: put_integer(out, value.get<std::int64_t>()); return true;
    case Json::value_t::number_unsigned: put_unsigned(out, value.get<std::uint64_t>(), false); return true;
    case Json::value_t::string: return put_string(out, value.get_ref<const Json::string_t&>());
    case Json::value_t::object: {
      out.put('{');
      bool first = true;
      for (const auto& [key, member] : value.get_ref<const Json::object_t&>()) {
        if (!first) out.put(',');
        first = false;
        if (!put_string(out, key)) return false;
        out.put(':');
        if (!put_value(out, member)) return false;
      }
      out.put('}');
      return true;
    }
    case Json::value_t::array: {
      out.put('[');
      bool first = true;
      for (const Json& element : value.get_ref<const Json::array_t&>()) {
        if (!first) out.put(',');
        first = false;
        if (!put_value(out, element)) return false;
      }
      out.put(']');
      return true;
    }
    default: return false;
  }
}

}  // namespace fdk::detail::json_text

namespace fdk::detail {

/// `value.dump()`, measured first and then written into a string allocated once.
[[nodiscard]] inline std::string compact_json(const nlohmann::json& value) {
  json_text::Measure measure;
  if (!json_text::put_value(measure, value)) return value.dump();
  std::string text(measure.size(), '\0');
  json_text::Write write(text.data());
  json_text::put_value(write, value);
  return text;
}

}  // namespace fdk::detail
