// `./my-function --version`: answered before the function serves anything.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace fdk::detail {

/// The line `--version` prints: "fdk-cpp 0.1.0 (gcc-12.2.0)".
[[nodiscard]] std::string version_line();

/// When the first argument is `--version`, prints version_line() on stdout and returns the exit
/// code (0); otherwise returns nothing and the function starts as usual.
[[nodiscard]] std::optional<int> answer_version_flag(const std::vector<std::string>& arguments);

/// This process's arguments after the program name (fdk::run is not given argv).
[[nodiscard]] std::vector<std::string> process_arguments();

}  // namespace fdk::detail
