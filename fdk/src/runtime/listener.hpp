// Where the function listens (FN_LISTENER) and creating the socket files the way the agent expects.
#pragma once

#include <string>
#include <variant>

#include "fdk/config.hpp"

namespace fdk::runtime {

/// `sun_path` holds 108 bytes including the terminating NUL.
inline constexpr std::size_t kMaxSocketPathBytes = 107;

struct ListenerPaths {
  std::string socket_path;  ///< FN_LISTENER's path, e.g. /tmp/iofs/lsnr.sock (the symlink)
  std::string phony_path;   ///< the real socket in the same directory, e.g. /tmp/iofs/phonylsnr.sock
  std::string phony_name;   ///< the phony socket's file name: the symlink's relative target
};

/// Reads FN_LISTENER and FN_FORMAT from `config`. Returns the paths, or one sentence saying
/// what is wrong and how to fix it.
[[nodiscard]] std::variant<ListenerPaths, std::string> listener_paths_from(const Config& config);

/// Removes stale files of both names. Returns an error sentence, or empty on success.
[[nodiscard]] std::string remove_socket_files(const ListenerPaths& paths);

/// After the phony socket is listening: chmod 0666 (the agent connects as another user) and
/// publish it with a relative symlink at the real name, which the agent sees as "ready".
[[nodiscard]] std::string publish_socket(const ListenerPaths& paths);

}  // namespace fdk::runtime
