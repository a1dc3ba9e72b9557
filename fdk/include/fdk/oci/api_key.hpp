// fdk::oci::ApiKeyProvider — a user's API key from an OCI config file (running from a laptop).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "fdk/config.hpp"
#include "fdk/export.hpp"
#include "fdk/oci/auth.hpp"

namespace fdk::oci {

/// Signs with an API key described by a profile of an OCI config file, as written by
/// `oci setup config`:
///
/// ```
/// [DEFAULT]
/// user=ocid1.user.oc1..aaaa
/// tenancy=ocid1.tenancy.oc1..aaaa
/// fingerprint=20:3b:97:13:...
/// key_file=~/.oci/oci_api_key.pem
/// pass_phrase=...        (optional)
/// region=us-ashburn-1
/// ```
///
/// keyId is `<tenancy>/<user>/<fingerprint>`. A profile inherits missing entries from
/// `[DEFAULT]`. With `security_token_file` (from `oci session authenticate`) the token file is
/// used instead, keyId `ST$<token>`. The key file is read and parsed on first sign. Thread-safe.
///
/// @code
///   fdk::oci::ApiKeyProvider auth(fdk::Config::from_environment(), "", "DEV");
/// @endcode
class FDK_API ApiKeyProvider final : public AuthProvider {
 public:
  /// Reads `config_file` (empty: `OCI_CONFIG_FILE`, else `~/.oci/config`) and `profile`
  /// (empty: `OCI_CONFIG_PROFILE`, else `DEFAULT`). `~` expands to `HOME` from `environment`.
  /// Throws CredentialsError naming the file and profile when an entry is missing.
  explicit ApiKeyProvider(const Config& environment, std::string config_file = {}, std::string profile = {});
  ~ApiKeyProvider() override;
  ApiKeyProvider(const ApiKeyProvider&) = delete;
  ApiKeyProvider& operator=(const ApiKeyProvider&) = delete;

  void sign(SignableRequest& request) override;
  [[nodiscard]] std::string region() const override;
  [[nodiscard]] std::string tenancy_id() const override;
  /// Re-reads the security token file when the profile uses one (true); API keys do not
  /// rotate, so otherwise false.
  bool refresh() override;
  [[nodiscard]] std::string_view kind() const noexcept override;

  /// The config file and profile in use (for messages).
  [[nodiscard]] std::string source() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fdk::oci
