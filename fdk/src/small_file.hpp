// Reading a whole small file (/proc, cgroup files) with plain POSIX calls.
#pragma once

#include <optional>
#include <string>

namespace fdk::detail {

/// The file's whole contents, or nothing when it cannot be opened or read. No C++ stream: with
/// GCC 12 an fstream sets up std::locale and its facets, pages of libstdc++ that a function which
/// never uses a stream would otherwise keep resident (docs/benchmarks.md, "RSS after load").
[[nodiscard]] std::optional<std::string> read_small_file(const std::string& path);

}  // namespace fdk::detail
