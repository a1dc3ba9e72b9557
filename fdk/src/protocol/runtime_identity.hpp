// The identification headers every response carries. No I/O.
#pragma once

#include <string>

namespace fdk::protocol {

/// `fdk-cpp/<version>` for `Fn-Fdk-Version`.
[[nodiscard]] const std::string& fdk_version_header();
/// `cpp/<compiler>-<version>` for `Fn-Fdk-Runtime` (the compiler that built the FDK).
[[nodiscard]] const std::string& fdk_runtime_header();
/// Both header lines, `Fn-Fdk-Version: ...\r\nFn-Fdk-Runtime: ...\r\n`, written once.
[[nodiscard]] const std::string& fdk_identification_lines();

}  // namespace fdk::protocol
