#include "httphost/forwarded.hpp"

#include "ascii.hpp"

namespace fdk::httphost {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// One forwarded-pair's value: a token, or a quoted-string with backslash escapes.
std::optional<std::string> pair_value(std::string_view raw) {
  if (raw.empty() || raw.front() != '"') return std::string(raw);
  std::string value;
  for (std::size_t i = 1; i < raw.size(); ++i) {
    if (raw[i] == '\\' && i + 1 < raw.size()) {
      value.push_back(raw[++i]);
    } else if (raw[i] == '"') {
      return i + 1 == raw.size() ? std::optional<std::string>(value) : std::nullopt;
    } else {
      value.push_back(raw[i]);
    }
  }
  return std::nullopt;  // no closing quote
}

std::string_view first_list_element(std::string_view value) {
  // A comma inside a quoted string does not end the element.
  bool quoted = false;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '"' && (i == 0 || value[i - 1] != '\\')) quoted = !quoted;
    if (value[i] == ',' && !quoted) return value.substr(0, i);
  }
  return value;
}

bool is_usable_scheme(const std::string& scheme) { return scheme == "http" || scheme == "https"; }

}  // namespace

std::optional<std::string> forwarded_proto(std::string_view forwarded) {
  std::string_view element = first_list_element(forwarded);
  while (!element.empty()) {
    std::size_t semicolon = element.find(';');
    std::string_view pair = trim(element.substr(0, semicolon));
    element = semicolon == std::string_view::npos ? std::string_view() : element.substr(semicolon + 1);
    std::size_t equals = pair.find('=');
    if (equals == std::string_view::npos) continue;
    if (detail::ascii_lower(trim(pair.substr(0, equals))) != "proto") continue;
    auto value = pair_value(trim(pair.substr(equals + 1)));
    if (!value) return std::nullopt;
    return detail::ascii_lower(*value);
  }
  return std::nullopt;
}

std::string request_scheme(const Headers& headers) {
  if (auto proto = headers.get("X-Forwarded-Proto")) {
    std::string first = detail::ascii_lower(trim(first_list_element(*proto)));
    if (is_usable_scheme(first)) return first;
  }
  if (auto forwarded = headers.get("Forwarded")) {
    auto proto = forwarded_proto(*forwarded);
    if (proto && is_usable_scheme(*proto)) return *proto;
  }
  return "http";
}

}  // namespace fdk::httphost
