#include "oci/auth/oci_config_file.hpp"

#include <algorithm>

#include "oci/auth/inline_or_file.hpp"

namespace fdk::oci::detail {
namespace {

constexpr std::string_view kDefaultProfile = "DEFAULT";

bool is_comment_or_blank(std::string_view line) { return line.empty() || line.front() == '#' || line.front() == ';'; }

bool is_section(std::string_view line) { return line.size() >= 2 && line.front() == '[' && line.back() == ']'; }

}  // namespace

OciConfigFile parse_oci_config(std::string_view text) {
  OciConfigFile file;
  ConfigProfile* section = nullptr;
  std::size_t line_number = 0;
  for (std::size_t position = 0; position <= text.size();) {
    const std::size_t end = std::min(text.find('\n', position), text.size());
    const std::string line = trim(text.substr(position, end - position));
    position = end + 1;
    ++line_number;
    if (is_comment_or_blank(line)) continue;
    if (is_section(line)) {
      section = &file.profiles[trim(std::string_view(line).substr(1, line.size() - 2))];
      continue;
    }
    const std::size_t equals = line.find('=');
    if (!section || equals == std::string::npos || equals == 0) {
      file.malformed_line = line_number;
      return file;
    }
    (*section)[trim(std::string_view(line).substr(0, equals))] = trim(std::string_view(line).substr(equals + 1));
  }
  return file;
}

std::optional<ConfigProfile> resolve_profile(const OciConfigFile& file, std::string_view profile) {
  const auto found = file.profiles.find(profile);
  if (found == file.profiles.end()) return std::nullopt;
  ConfigProfile resolved = found->second;
  const auto defaults = file.profiles.find(kDefaultProfile);
  if (defaults != file.profiles.end()) resolved.insert(defaults->second.begin(), defaults->second.end());
  return resolved;
}

}  // namespace fdk::oci::detail
