// Settings that hold either a value or an absolute path to a file holding it, the rule every
// OCI SDK applies to OCI_RESOURCE_PRINCIPAL_* variables.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fdk/config.hpp"

namespace fdk::oci::detail {

/// One such setting: the variable it came from and its raw value.
struct InlineOrFile {
  std::string variable;
  std::string value;

  /// An absolute path means "read the file"; anything else is the value itself.
  [[nodiscard]] bool is_file() const noexcept { return !value.empty() && value.front() == '/'; }
  /// How to name this setting in messages: the variable and, for files, the path — never the value.
  [[nodiscard]] std::string describe() const;
};

/// The setting `variable` from `environment`; nothing when unset or empty.
[[nodiscard]] std::optional<InlineOrFile> lookup_inline_or_file(const Config& environment, std::string_view variable);

/// The value itself, or the file's content. Throws CredentialsError naming the variable and
/// path when the file cannot be read.
[[nodiscard]] std::string read_inline_or_file(const InlineOrFile& setting);

/// Reads a whole regular file of at most 1 MiB without ever blocking on it (a FIFO or device is
/// refused); throws CredentialsError naming `what` and the path on failure.
[[nodiscard]] std::string read_credential_file(const std::string& path, std::string_view what);

/// `text` without leading and trailing whitespace.
[[nodiscard]] std::string trim(std::string_view text);

}  // namespace fdk::oci::detail
