// The OCI CLI/SDK configuration file (`~/.oci/config`): INI sections of `key=value` lines.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace fdk::oci::detail {

using ConfigProfile = std::map<std::string, std::string, std::less<>>;

struct OciConfigFile {
  std::map<std::string, ConfigProfile, std::less<>> profiles;
  /// The first line (1-based) that is neither blank, a comment, a `[section]` nor `key=value`
  /// inside a section; nothing when the whole text parsed.
  std::optional<std::size_t> malformed_line;
};

/// Parses the text. `#` and `;` start comment lines; keys and values are trimmed.
[[nodiscard]] OciConfigFile parse_oci_config(std::string_view text);

/// The entries of `profile` with those of `[DEFAULT]` underneath (the SDKs' inheritance);
/// nothing when the profile does not exist.
[[nodiscard]] std::optional<ConfigProfile> resolve_profile(const OciConfigFile& file, std::string_view profile);

}  // namespace fdk::oci::detail
