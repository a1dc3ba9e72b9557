#include "protocol/runtime_identity.hpp"

#include "fdk/version.hpp"

namespace fdk::protocol {

const std::string& fdk_version_header() {
  static const std::string value = std::string("fdk-cpp/") + kVersion;
  return value;
}

const std::string& fdk_runtime_header() {
  static const std::string value = "cpp/" FDK_COMPILER_TAG;
  return value;
}

}  // namespace fdk::protocol
