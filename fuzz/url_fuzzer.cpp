// libFuzzer target for the URL/query parser: absolute URLs, request targets, query strings.
// Checks that parsing never crashes and that what it returns is consistent.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include "http/url.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const fdk::http::Url url = fdk::http::parse_url(text);
    if (url.host.empty() || url.port < 1 || url.port > 65535 || url.target.empty() || url.target.front() != '/') {
      std::abort();
    }
    // What a connection sends must parse back to the same place.
    const fdk::http::Url again = fdk::http::parse_url(url.origin() + url.target);
    if (again.host != url.host || again.port != url.port || again.target != url.target) std::abort();
  } catch (const std::invalid_argument&) {
  }
  const std::string origin = fdk::http::origin_form(text);
  if (origin.empty() || origin.front() != '/') std::abort();
  const std::string path = fdk::http::url_path(text);
  if (path.empty() || path.find('?') != std::string::npos) std::abort();
  for (const auto& [name, value] : fdk::http::parse_query(fdk::http::url_query(text))) {
    if (name.size() + value.size() > size) std::abort();
  }
  return 0;
}
