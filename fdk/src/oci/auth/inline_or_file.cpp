#include "oci/auth/inline_or_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "fdk/oci/errors.hpp"

namespace fdk::oci::detail {

std::string InlineOrFile::describe() const {
  return is_file() ? variable + " (file '" + value + "')" : variable + " (inline value)";
}

std::optional<InlineOrFile> lookup_inline_or_file(const Config& environment, std::string_view variable) {
  auto value = environment.get(variable);
  if (!value || trim(*value).empty()) return std::nullopt;
  return InlineOrFile{std::string(variable), std::move(*value)};
}

namespace {

// The largest credential file read. Keys, tokens and config files are a few KiB; a bigger file
// is a mistake (or a device), and reading it would hold the memory for nothing.
constexpr std::size_t kMaxCredentialFileBytes = 1u << 20;

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  [[nodiscard]] int get() const noexcept { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string read_credential_file(const std::string& path, std::string_view what) {
  const std::string named = std::string(what) + " names the file '" + path + "'";
  // O_NONBLOCK: opening a FIFO without a writer must not wait; only regular files are read.
  FileDescriptor file(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (file.get() < 0) throw CredentialsError(named + ", which cannot be read: " + std::strerror(errno) + ".");
  struct stat info {};
  if (::fstat(file.get(), &info) != 0) {
    throw CredentialsError(named + ", which cannot be read: " + std::strerror(errno) + ".");
  }
  if (S_ISDIR(info.st_mode)) throw CredentialsError(named + ", which is a directory: name the file inside it.");
  if (!S_ISREG(info.st_mode)) {
    throw CredentialsError(named + ", which is not a regular file (a device, pipe or socket): name a file.");
  }
  if (static_cast<std::size_t>(info.st_size) > kMaxCredentialFileBytes) {
    throw CredentialsError(named + ", which is " + std::to_string(info.st_size) +
                           " bytes long; credential files are at most " + std::to_string(kMaxCredentialFileBytes) +
                           " bytes.");
  }
  std::string content;
  char buffer[8192];
  for (;;) {
    const ssize_t got = ::read(file.get(), buffer, sizeof buffer);
    if (got == 0) break;
    if (got < 0) {
      if (errno == EINTR) continue;
      throw CredentialsError(std::string(what) + ": reading the file '" + path + "' failed: " + std::strerror(errno) + ".");
    }
    content.append(buffer, static_cast<std::size_t>(got));
    // The file may grow while it is read.
    if (content.size() > kMaxCredentialFileBytes) {
      throw CredentialsError(named + ", which is longer than " + std::to_string(kMaxCredentialFileBytes) +
                             " bytes; credential files are smaller.");
    }
  }
  return content;
}

std::string read_inline_or_file(const InlineOrFile& setting) {
  return setting.is_file() ? read_credential_file(setting.value, setting.variable) : setting.value;
}

std::string trim(std::string_view text) {
  auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

}  // namespace fdk::oci::detail
