// Flushing std::cout and std::cerr without paying for iostreams in a function that never uses them.
#pragma once

namespace fdk::runtime {

/// Flushes std::cout and std::cerr when they keep buffers of their own, which is only after the
/// process called std::ios_base::sync_with_stdio(false). While they are synchronised with stdio
/// (the default) their output is in stdout's and stderr's FILE buffers, which the caller flushes.
void flush_standard_streams() noexcept;

}  // namespace fdk::runtime
