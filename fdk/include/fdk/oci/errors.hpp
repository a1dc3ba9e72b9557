// fdk::oci::CredentialsError — why OCI credentials could not be loaded or used.
#pragma once

#include <stdexcept>
#include <string>

#include "fdk/export.hpp"

namespace fdk::oci {

/// Thrown when credentials are missing, malformed, expired or cannot be fetched.
/// The message names the environment variable, file or endpoint at fault and never
/// contains a private key, a passphrase or a full session token.
///
/// @code
///   try {
///     auto auth = fdk::oci::make_auth_provider(ctx.config());
///   } catch (const fdk::oci::CredentialsError& e) {
///     return fdk::Response::text(e.what(), 500);
///   }
/// @endcode
class FDK_API CredentialsError : public std::runtime_error {
 public:
  explicit CredentialsError(const std::string& message);
  ~CredentialsError() override;
  CredentialsError(const CredentialsError&) = default;
  CredentialsError& operator=(const CredentialsError&) = default;
};

}  // namespace fdk::oci
