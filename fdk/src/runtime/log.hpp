// Writing the FDK's own lines to the function's log (stderr, merged with stdout by Fn).
#pragma once

#include <string_view>

namespace fdk::runtime {

/// Writes all of `text` to `fd`, retrying short writes; gives up silently when the descriptor
/// is gone (nobody is left to read it).
void write_all(int fd, std::string_view text) noexcept;

/// Writes `line` plus a newline to stderr in one write(2), so lines from concurrent
/// threads never interleave.
void write_stderr_line(std::string_view line) noexcept;

/// Flushes what the handler left in stdio and iostream buffers, so its output reaches the log
/// before the answer does (the container may be frozen or killed right after the answer).
void flush_handler_output() noexcept;

/// Writes the log-frame text to stdout and stderr, flushing both so lines the handler
/// prints afterwards land after the frame.
void write_log_frame(std::string_view frame) noexcept;

}  // namespace fdk::runtime
