#include "protocol/runtime_identity.hpp"

#include "fdk/version.hpp"
#include "http/message_writer.hpp"

namespace fdk::protocol {

const std::string& fdk_version_header() {
  static const std::string value = std::string("fdk-cpp/") + kVersion;
  return value;
}

const std::string& fdk_runtime_header() {
  static const std::string value = "cpp/" FDK_COMPILER_TAG;
  return value;
}

const std::string& fdk_identification_lines() {
  static const std::string value = [] {
    std::string lines;
    http::write_header(lines, "Fn-Fdk-Version", fdk_version_header());
    http::write_header(lines, "Fn-Fdk-Runtime", fdk_runtime_header());
    return lines;
  }();
  return value;
}

}  // namespace fdk::protocol
