#include "oci/auth/resource_principal_settings.hpp"

#include "fdk/oci/errors.hpp"
#include "fdk/oci/regions.hpp"
#include "oci/auth/secret_text.hpp"
#include "oci/auth/session_token.hpp"

namespace fdk::oci::detail {
namespace {

constexpr std::string_view kSupportedVersion = "2.2";

InlineOrFile required(const Config& environment, std::string_view variable, std::string_view what) {
  auto setting = lookup_inline_or_file(environment, variable);
  if (!setting) {
    throw CredentialsError(std::string(variable) + " is not set; it must hold " + std::string(what) +
                           " (resource principal version 2.2).");
  }
  return *setting;
}

void check_version(const Config& environment) {
  const auto version = environment.get(kRpVersionVariable);
  if (!version || trim(*version).empty()) {
    throw CredentialsError(std::string(kRpVersionVariable) + " is not set; resource principal credentials need it (2.2).");
  }
  if (trim(*version) != kSupportedVersion) {
    // The version is not secret, but an arbitrary value is cut short to keep the message readable.
    throw CredentialsError(std::string(kRpVersionVariable) + " is '" + trim(*version).substr(0, 16) +
                           "', but only resource principal version 2.2 (the one OCI Functions uses) is supported.");
  }
}

// Go and TypeScript SDKs reject a key file with an inline passphrase and vice versa.
void check_passphrase_matches_key(const InlineOrFile& key, const std::optional<InlineOrFile>& passphrase) {
  if (!passphrase || passphrase->is_file() == key.is_file()) return;
  throw CredentialsError(std::string(kRpKeyVariable) + " is " + (key.is_file() ? "a file path" : "an inline PEM") +
                         " but " + std::string(kRpPassphraseVariable) + " is " +
                         (passphrase->is_file() ? "a file path" : "an inline value") +
                         "; give both as absolute file paths or both inline.");
}

// A passphrase file usually ends with a newline that is not part of the passphrase.
std::string read_passphrase(const InlineOrFile& setting) {
  std::string passphrase = read_inline_or_file(setting);
  if (setting.is_file()) {
    while (!passphrase.empty() && (passphrase.back() == '\n' || passphrase.back() == '\r')) passphrase.pop_back();
  }
  return passphrase;
}

}  // namespace

ResourcePrincipalSettings ResourcePrincipalSettings::from_environment(const Config& environment) {
  check_version(environment);
  ResourcePrincipalSettings settings;
  settings.token = required(environment, kRpTokenVariable, "the session token or an absolute path to it");
  settings.private_key = required(environment, kRpKeyVariable, "a PEM private key or an absolute path to it");
  settings.passphrase = lookup_inline_or_file(environment, kRpPassphraseVariable);
  check_passphrase_matches_key(settings.private_key, settings.passphrase);
  const auto region = lookup_inline_or_file(environment, kRpRegionVariable);
  if (!region) {
    throw CredentialsError(std::string(kRpRegionVariable) +
                           " is not set; it must hold the region id (us-ashburn-1) or short code (iad).");
  }
  settings.region = canonical_region(region->value);
  if (!is_valid_region(settings.region)) {
    throw CredentialsError(std::string(kRpRegionVariable) +
                           " is not a region name (letters, digits and '-', such as us-ashburn-1, or a short code "
                           "such as iad).");
  }
  return settings;
}

bool ResourcePrincipalSettings::uses_files() const noexcept {
  return token.is_file() || private_key.is_file() || (passphrase && passphrase->is_file());
}

SessionCredentials load_resource_principal(const ResourcePrincipalSettings& settings) {
  SessionCredentials credentials;
  // Surrounding whitespace (a file's trailing newline) would end up inside the keyId.
  credentials.token = trim(read_inline_or_file(settings.token));
  if (credentials.token.empty()) {
    throw CredentialsError(settings.token.describe() + " holds an empty session token.");
  }
  credentials.claims = parse_session_token(credentials.token, settings.token.describe());

  std::string pem = read_inline_or_file(settings.private_key);
  ScopedWipe wipe_pem(pem);
  std::string passphrase = settings.passphrase ? read_passphrase(*settings.passphrase) : std::string();
  ScopedWipe wipe_passphrase(passphrase);
  credentials.key = std::make_shared<const PrivateKey>(PrivateKey::from_pem(
      pem, settings.passphrase ? std::optional<std::string_view>(passphrase) : std::nullopt,
      settings.private_key.describe(), kRpPassphraseVariable));
  return credentials;
}

}  // namespace fdk::oci::detail
