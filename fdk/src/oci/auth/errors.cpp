#include "fdk/oci/errors.hpp"

namespace fdk::oci {

CredentialsError::CredentialsError(const std::string& message) : std::runtime_error(message) {}

// Defined here so the vtable and type info live in one library (the key function).
CredentialsError::~CredentialsError() = default;

}  // namespace fdk::oci
