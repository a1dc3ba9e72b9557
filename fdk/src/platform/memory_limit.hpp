// The container's memory limit, which HTTP hosts and the OpenFaaS watchdogs set as a cgroup
// limit instead of telling the process (Fn says FN_MEMORY, Lambda its memory size).
#pragma once

#include <string>
#include <string_view>

namespace fdk::platform {

/// The limit in MB (MiB, rounded down) from the text of cgroup v2's `memory.max` or v1's
/// `memory.limit_in_bytes`: 0 when it sets none (`max`; v1's "unlimited", a value near 2^63)
/// or when the text is not a number of bytes. No I/O.
[[nodiscard]] int memory_limit_mb(std::string_view file_text) noexcept;

/// Reads the process's limit under `cgroup_root`: `memory.max` (cgroup v2), else
/// `memory/memory.limit_in_bytes` (v1); 0 when neither file exists or gives a limit.
[[nodiscard]] int read_memory_limit_mb(const std::string& cgroup_root = "/sys/fs/cgroup");

}  // namespace fdk::platform
