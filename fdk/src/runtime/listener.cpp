#include "runtime/listener.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace fdk::runtime {

namespace {
constexpr std::string_view kUnixPrefix = "unix:";
constexpr std::string_view kPhonyPrefix = "phony";

std::string system_error(const std::string& what, const std::string& path) {
  return what + " '" + path + "': " + std::strerror(errno);
}
}  // namespace

std::variant<ListenerPaths, std::string> listener_paths_from(const Config& config) {
  auto format = config.get_or("FN_FORMAT", "");
  if (!format.empty() && format != "http-stream") {
    return "FN_FORMAT is '" + format + "', but fdk-cpp speaks only 'http-stream' (unset it or set it to http-stream).";
  }
  auto listener = config.get("FN_LISTENER");
  if (!listener || listener->empty()) {
    return std::string("FN_LISTENER is not set: this binary is an Fn function and expects the Fn agent "
                       "(or `fdk-invoke`) to start it with FN_LISTENER=unix:/path/to/lsnr.sock.");
  }
  if (listener->compare(0, kUnixPrefix.size(), kUnixPrefix) != 0) {
    return "FN_LISTENER is '" + *listener + "', but it must start with 'unix:' (e.g. unix:/tmp/iofs/lsnr.sock).";
  }
  ListenerPaths paths;
  paths.socket_path = listener->substr(kUnixPrefix.size());
  auto slash = paths.socket_path.rfind('/');
  std::string directory = slash == std::string::npos ? std::string() : paths.socket_path.substr(0, slash + 1);
  std::string name = slash == std::string::npos ? paths.socket_path : paths.socket_path.substr(slash + 1);
  if (name.empty()) return "FN_LISTENER '" + *listener + "' names a directory, not a socket file.";
  paths.phony_name = std::string(kPhonyPrefix) + name;
  paths.phony_path = directory + paths.phony_name;
  // The phony name is the one bound, and it is the longer of the two.
  if (paths.phony_path.size() > kMaxSocketPathBytes) {
    return "FN_LISTENER's path is too long: the socket '" + paths.phony_path + "' is " +
           std::to_string(paths.phony_path.size()) + " bytes, and Unix sockets allow at most " +
           std::to_string(kMaxSocketPathBytes) + "; use a shorter directory.";
  }
  return paths;
}

std::string remove_socket_files(const ListenerPaths& paths) {
  for (const std::string* path : {&paths.socket_path, &paths.phony_path}) {
    if (::unlink(path->c_str()) != 0 && errno != ENOENT) return system_error("cannot remove stale socket file", *path);
  }
  return {};
}

std::string publish_socket(const ListenerPaths& paths) {
  if (::chmod(paths.phony_path.c_str(), 0666) != 0) return system_error("cannot chmod 0666", paths.phony_path);
  if (::symlink(paths.phony_name.c_str(), paths.socket_path.c_str()) != 0) {
    return system_error("cannot create the symlink", paths.socket_path);
  }
  return {};
}

}  // namespace fdk::runtime
