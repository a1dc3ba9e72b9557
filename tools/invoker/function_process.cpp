#include "function_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <thread>
#include <utility>

extern char** environ;

namespace fdk::invoker {

namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kSocketName = "lsnr.sock";

// Why `dir` cannot hold the socket, in a sentence naming it; empty when it can.
std::string directory_problem(const std::string& dir, const char* what) {
  struct stat info {};
  if (::stat(dir.c_str(), &info) != 0) {
    if (errno == ENOENT) return std::string(what) + " '" + dir + "' does not exist; create it or choose another one.";
    return std::string("cannot use ") + what + " '" + dir + "': " + std::strerror(errno) + ".";
  }
  if (!S_ISDIR(info.st_mode)) return std::string(what) + " '" + dir + "' is not a directory.";
  return "";
}

std::string make_temp_dir() {
  const char* base = std::getenv("TMPDIR");
  std::string parent = base && *base ? base : "/tmp";
  std::string problem = directory_problem(parent, "the temporary directory (TMPDIR)");
  if (!problem.empty()) throw InvokeError(problem);
  std::string pattern = parent + "/fdk-invoke-XXXXXX";
  if (!::mkdtemp(pattern.data())) {
    throw InvokeError("cannot create a temporary directory for the socket in '" + parent + "': " + std::strerror(errno) +
                      ".");
  }
  return pattern;
}

std::vector<std::string> function_environment(const LaunchOptions& options, const std::string& socket_path) {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string text(*entry);
    auto eq = text.find('=');
    if (eq != std::string::npos) env[text.substr(0, eq)] = text.substr(eq + 1);
  }
  // What the agent sets; config may override the ids but never the listener.
  env["FN_FORMAT"] = "http-stream";
  env["FN_TYPE"] = "sync";
  env.emplace("FN_APP_ID", "local-app");
  env.emplace("FN_FN_ID", "local-fn");
  env.emplace("FN_MEMORY", "128");
  for (const auto& [key, value] : options.config) env[key] = value;
  env["FN_LISTENER"] = "unix:" + socket_path;
  std::vector<std::string> entries;
  for (const auto& [key, value] : env) entries.push_back(key + "=" + value);
  return entries;
}

pid_t spawn(const LaunchOptions& options, const std::vector<std::string>& env) {
  std::vector<char*> argv, envp;
  for (const auto& arg : options.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  for (const auto& entry : env) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  constexpr int kFlags = O_WRONLY | O_CREAT | O_TRUNC;
  if (!options.stdout_path.empty()) {
    ::posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, options.stdout_path.c_str(), kFlags, 0644);
  }
  if (!options.stderr_path.empty()) {
    ::posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, options.stderr_path.c_str(), kFlags, 0644);
  }
  if (options.output_fd >= 0) {
    if (options.stdout_path.empty()) ::posix_spawn_file_actions_adddup2(&actions, options.output_fd, STDOUT_FILENO);
    if (options.stderr_path.empty()) ::posix_spawn_file_actions_adddup2(&actions, options.output_fd, STDERR_FILENO);
  }
  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  ::posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw InvokeError("cannot start '" + options.argv[0] + "': " + std::strerror(rc));
  return pid;
}

// The agent's checks: a symlink whose target has no directory part, pointing at a socket.
std::string readiness_problem(const std::string& path) {
  struct stat link_info {};
  if (::lstat(path.c_str(), &link_info) != 0) return "missing";
  if (S_ISSOCK(link_info.st_mode)) return "";  // a plain socket: accepted, though racy
  // A stale file the function has not removed yet: not ready (the agent only reacts to
  // the name appearing).
  if (!S_ISLNK(link_info.st_mode)) return "missing";
  char target[4096];
  ssize_t n = ::readlink(path.c_str(), target, sizeof target - 1);
  if (n < 0) return "unreadable symlink";
  target[n] = '\0';
  if (std::strchr(target, '/')) {
    return std::string("lsnr.sock points at '") + target + "', but the agent accepts only a target in the same directory";
  }
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return "lsnr.sock points at a missing file";
  if (!S_ISSOCK(info.st_mode)) return "lsnr.sock does not point at a socket";
  return "";
}

}  // namespace

std::string signal_name(int sig) {
  static constexpr std::pair<int, const char*> kNames[] = {
      {SIGHUP, "SIGHUP"},   {SIGINT, "SIGINT"},   {SIGQUIT, "SIGQUIT"}, {SIGILL, "SIGILL"},   {SIGTRAP, "SIGTRAP"},
      {SIGABRT, "SIGABRT"}, {SIGBUS, "SIGBUS"},   {SIGFPE, "SIGFPE"},   {SIGKILL, "SIGKILL"}, {SIGUSR1, "SIGUSR1"},
      {SIGSEGV, "SIGSEGV"}, {SIGUSR2, "SIGUSR2"}, {SIGPIPE, "SIGPIPE"}, {SIGALRM, "SIGALRM"}, {SIGTERM, "SIGTERM"},
      {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"}, {SIGSYS, "SIGSYS"},
  };
  for (const auto& [number, name] : kNames) {
    if (number == sig) return name;
  }
  return "signal " + std::to_string(sig);
}

std::string describe_exit(int wait_status) {
  if (WIFEXITED(wait_status)) return "exited with status " + std::to_string(WEXITSTATUS(wait_status));
  if (WIFSIGNALED(wait_status)) {
    int sig = WTERMSIG(wait_status);
    return "was killed by " + signal_name(sig) + " (" + strsignal(sig) + ")";
  }
  return "stopped (wait status " + std::to_string(wait_status) + ")";
}

FunctionProcess FunctionProcess::launch(const LaunchOptions& options) {
  if (options.argv.empty()) throw InvokeError("no function binary was given to start.");
  FunctionProcess process;
  process.owns_dir_ = options.socket_dir.empty();
  if (!process.owns_dir_) {
    std::string problem = directory_problem(options.socket_dir, "the socket directory");
    if (!problem.empty()) throw InvokeError(problem);
  }
  process.socket_dir_ = process.owns_dir_ ? make_temp_dir() : options.socket_dir;
  process.socket_path_ = process.socket_dir_ + "/" + kSocketName;

  // Watch before spawning, like the agent, so the appearance cannot be missed.
  int watch_fd = ::inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
  if (watch_fd < 0 || ::inotify_add_watch(watch_fd, process.socket_dir_.c_str(), IN_CREATE | IN_MOVED_TO) < 0) {
    if (watch_fd >= 0) ::close(watch_fd);
    throw InvokeError("cannot watch '" + process.socket_dir_ + "' for the socket: " + std::strerror(errno));
  }
  auto started = Clock::now();
  process.pid_ = spawn(options, function_environment(options, process.socket_path_));

  auto give_up = started + options.start_timeout;
  std::string problem = "missing";
  while (true) {
    problem = readiness_problem(process.socket_path_);
    if (problem.empty() || problem != "missing") break;
    int status = 0;
    if (::waitpid(process.pid_, &status, WNOHANG) == process.pid_) {
      process.pid_ = -1;
      ::close(watch_fd);
      throw InvokeError("the function " + describe_exit(status) + " before creating " + process.socket_path_ +
                        " (its stderr above says why).");
    }
    auto now = Clock::now();
    if (now >= give_up) break;
    // Wake on any directory event, or every 20 ms to notice an exit.
    pollfd pfd{watch_fd, POLLIN, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(give_up - now).count();
    ::poll(&pfd, 1, static_cast<int>(std::min<long long>(left, 20)));
    char drain[4096];
    while (::read(watch_fd, drain, sizeof drain) > 0) {
    }
  }
  ::close(watch_fd);
  process.time_to_ready_ = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
  if (problem == "missing") {
    throw InvokeError("the function did not create " + process.socket_path_ + " within " +
                      std::to_string(options.start_timeout.count()) +
                      " ms; the Fn agent would report \"container failed to initialize\".");
  }
  if (!problem.empty()) throw InvokeError("the function's socket is not usable by the agent: " + problem + ".");
  return process;
}

FunctionProcess::FunctionProcess(FunctionProcess&& other) noexcept
    : pid_(other.pid_),
      socket_dir_(std::move(other.socket_dir_)),
      socket_path_(std::move(other.socket_path_)),
      owns_dir_(other.owns_dir_),
      time_to_ready_(other.time_to_ready_) {
  other.pid_ = -1;
  other.owns_dir_ = false;
}

int FunctionProcess::stop(int signal, std::chrono::milliseconds timeout) {
  if (pid_ <= 0) throw InvokeError("the function is not running.");
  ::kill(pid_, signal);
  if (auto status = wait_for_exit(timeout)) return *status;
  throw InvokeError("the function did not exit within " + std::to_string(timeout.count()) + " ms of " +
                    signal_name(signal) + ".");
}

std::optional<int> FunctionProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) throw InvokeError("the function is not running.");
  auto give_up = Clock::now() + timeout;
  while (true) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return status;
    }
    if (Clock::now() >= give_up) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

long FunctionProcess::status_figure(const std::string& key) const {
  std::ifstream file("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(file, line)) {
    if (line.compare(0, key.size(), key) == 0 && line.size() > key.size() && line[key.size()] == ':') {
      return std::strtol(line.c_str() + key.size() + 1, nullptr, 10);
    }
  }
  return -1;
}

FunctionProcess::~FunctionProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  if (owns_dir_) {
    // The function may have left its socket files behind (it was killed, say).
    ::unlink(socket_path_.c_str());
    ::unlink((socket_dir_ + "/phony" + kSocketName).c_str());
    ::rmdir(socket_dir_.c_str());
  }
}

}  // namespace fdk::invoker
