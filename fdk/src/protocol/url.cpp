#include "protocol/url.hpp"

namespace fdk::protocol {

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view strip_fragment(std::string_view url) { return url.substr(0, url.find('#')); }
}  // namespace

std::string url_path(std::string_view url) {
  url = strip_fragment(url);
  url = url.substr(0, url.find('?'));
  auto scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos) {
    auto path_start = url.find('/', scheme_end + 3);
    if (path_start == std::string_view::npos) return "/";
    url = url.substr(path_start);
  }
  return url.empty() ? std::string("/") : std::string(url);
}

std::string_view url_query(std::string_view url) {
  url = strip_fragment(url);
  auto mark = url.find('?');
  return mark == std::string_view::npos ? std::string_view{} : url.substr(mark + 1);
}

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 && hex_value(text[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (part.empty()) continue;
    auto eq = part.find('=');
    if (eq == std::string_view::npos) {
      pairs.emplace_back(percent_decode(part), std::string());
    } else {
      pairs.emplace_back(percent_decode(part.substr(0, eq)), percent_decode(part.substr(eq + 1)));
    }
  }
  return pairs;
}

}  // namespace fdk::protocol
