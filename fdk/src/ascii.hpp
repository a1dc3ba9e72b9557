// ASCII case folding for protocol tokens (header names, media types, schemes). No locale.
#pragma once

#include <string>
#include <string_view>

namespace fdk::detail {

[[nodiscard]] inline char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// ASCII case-insensitive equality, as HTTP header names compare. fdk::iequals is this one
/// exported, and so a call the compiler cannot inline (it could be interposed): lookups on
/// every call's path use this one, which settles most names by their size alone.
[[nodiscard]] inline bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  // Senders mostly spell a name as it is registered: a plain comparison settles those at once.
  if (a == b) return true;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

[[nodiscard]] inline std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = ascii_lower(c);
  }
  return out;
}

[[nodiscard]] inline std::string ascii_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

}  // namespace fdk::detail
