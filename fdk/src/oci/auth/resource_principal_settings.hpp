// The OCI_RESOURCE_PRINCIPAL_* variables, validated, and the credentials they lead to.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "fdk/config.hpp"
#include "fdk/oci/session_token.hpp"
#include "oci/auth/inline_or_file.hpp"
#include "oci/auth/private_key.hpp"

namespace fdk::oci::detail {

inline constexpr std::string_view kRpVersionVariable = "OCI_RESOURCE_PRINCIPAL_VERSION";
inline constexpr std::string_view kRpTokenVariable = "OCI_RESOURCE_PRINCIPAL_RPST";
inline constexpr std::string_view kRpKeyVariable = "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM";
inline constexpr std::string_view kRpPassphraseVariable = "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE";
inline constexpr std::string_view kRpRegionVariable = "OCI_RESOURCE_PRINCIPAL_REGION";

struct ResourcePrincipalSettings {
  InlineOrFile token;
  InlineOrFile private_key;
  std::optional<InlineOrFile> passphrase;
  std::string region;  ///< canonical region id

  /// Validates the variables (no file is read). Throws CredentialsError naming the variable.
  [[nodiscard]] static ResourcePrincipalSettings from_environment(const Config& environment);

  /// True when anything is read from a file, so re-reading may yield new credentials.
  [[nodiscard]] bool uses_files() const noexcept;
};

/// A loaded token and key.
struct SessionCredentials {
  std::string token;
  SessionTokenClaims claims;
  std::shared_ptr<const PrivateKey> key;
};

/// Reads token, key and passphrase (inline or from files) and parses them.
[[nodiscard]] SessionCredentials load_resource_principal(const ResourcePrincipalSettings& settings);

}  // namespace fdk::oci::detail
