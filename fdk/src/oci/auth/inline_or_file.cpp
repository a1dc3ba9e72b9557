#include "oci/auth/inline_or_file.hpp"

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

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

std::string read_credential_file(const std::string& path, std::string_view what) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw CredentialsError(std::string(what) + " names the file '" + path + "', which cannot be read: " +
                           std::strerror(errno) + ".");
  }
  std::ostringstream content;
  content << file.rdbuf();
  if (file.bad()) throw CredentialsError(std::string(what) + ": reading the file '" + path + "' failed.");
  return content.str();
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
