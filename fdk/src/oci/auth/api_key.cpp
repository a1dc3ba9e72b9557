#include "fdk/oci/api_key.hpp"

#include <mutex>
#include <optional>

#include "fdk/oci/errors.hpp"
#include "fdk/oci/regions.hpp"
#include "oci/auth/inline_or_file.hpp"
#include "oci/auth/oci_config_file.hpp"
#include "oci/auth/private_key.hpp"
#include "oci/auth/request_signing.hpp"
#include "oci/auth/secret_text.hpp"

namespace fdk::oci {
namespace {

constexpr std::string_view kConfigFileVariable = "OCI_CONFIG_FILE";
constexpr std::string_view kProfileVariable = "OCI_CONFIG_PROFILE";
constexpr std::string_view kDefaultConfigFile = "~/.oci/config";
constexpr std::string_view kDefaultProfile = "DEFAULT";

std::string expand_home(const std::string& path, const Config& environment) {
  if (path != "~" && path.rfind("~/", 0) != 0) return path;
  const auto home = environment.get("HOME");
  if (!home || home->empty()) {
    throw CredentialsError("The path '" + path + "' starts with '~' but HOME is not set; give an absolute path.");
  }
  return *home + path.substr(1);
}

std::string choose(std::string explicit_value, const Config& environment, std::string_view variable,
                   std::string_view fallback) {
  if (!explicit_value.empty()) return explicit_value;
  auto from_environment = environment.get(variable);
  return from_environment && !from_environment->empty() ? *from_environment : std::string(fallback);
}

}  // namespace

struct ApiKeyProvider::Impl {
  std::string config_path;
  std::string profile_name;
  std::string tenancy;
  std::string region;
  std::string key_id;  // tenancy/user/fingerprint, unless a security token is used
  std::string key_file;
  std::optional<std::string> passphrase;
  std::optional<std::string> token_file;

  std::mutex mutex;
  std::shared_ptr<const detail::PrivateKey> key;
  std::string token;

  ~Impl() {
    if (passphrase) detail::wipe(*passphrase);
  }

  [[nodiscard]] std::string where() const { return "profile [" + profile_name + "] of '" + config_path + "'"; }

  std::string required(const detail::ConfigProfile& profile, const std::string& name) const {
    const auto it = profile.find(name);
    if (it == profile.end() || it->second.empty()) {
      throw CredentialsError("The " + where() + " has no '" + name + "' entry; add it (see `oci setup config`).");
    }
    return it->second;
  }

  void read_profile(const Config& environment) {
    const std::string text = detail::read_credential_file(config_path, "The OCI config file");
    const auto file = detail::parse_oci_config(text);
    if (file.malformed_line) {
      throw CredentialsError("The OCI config file '" + config_path + "' is malformed at line " +
                             std::to_string(*file.malformed_line) + " (expected [profile] or key=value).");
    }
    const auto profile = detail::resolve_profile(file, profile_name);
    if (!profile) throw CredentialsError("The OCI config file '" + config_path + "' has no profile [" + profile_name + "].");
    tenancy = required(*profile, "tenancy");
    region = canonical_region(required(*profile, "region"));
    if (!is_valid_region(region)) {
      throw CredentialsError("The 'region' entry of the " + where() +
                             " is not a region name (letters, digits and '-', such as us-ashburn-1, or a short code "
                             "such as iad).");
    }
    key_file = expand_home(required(*profile, "key_file"), environment);
    if (auto it = profile->find("pass_phrase"); it != profile->end() && !it->second.empty()) passphrase = it->second;
    if (auto it = profile->find("security_token_file"); it != profile->end() && !it->second.empty()) {
      token_file = expand_home(it->second, environment);
    } else {
      key_id = tenancy + "/" + required(*profile, "user") + "/" + required(*profile, "fingerprint");
    }
  }

  // Reading and parsing happen outside `mutex`: they touch only what the constructor set.
  [[nodiscard]] std::shared_ptr<const detail::PrivateKey> read_key() const {
    std::string pem = detail::read_credential_file(key_file, "The key_file of the " + where());
    detail::ScopedWipe wipe_pem(pem);
    return std::make_shared<const detail::PrivateKey>(detail::PrivateKey::from_pem(
        pem, passphrase ? std::optional<std::string_view>(*passphrase) : std::nullopt, key_file,
        "pass_phrase in the " + where()));
  }

  [[nodiscard]] std::string read_token() const {
    std::string text = detail::trim(detail::read_credential_file(*token_file, "The security_token_file of the " + where()));
    if (text.empty()) throw CredentialsError("The security_token_file '" + *token_file + "' is empty.");
    return text;
  }
};

ApiKeyProvider::ApiKeyProvider(const Config& environment, std::string config_file, std::string profile)
    : impl_(std::make_unique<Impl>()) {
  impl_->config_path =
      expand_home(choose(std::move(config_file), environment, kConfigFileVariable, kDefaultConfigFile), environment);
  impl_->profile_name = choose(std::move(profile), environment, kProfileVariable, kDefaultProfile);
  impl_->read_profile(environment);
}

ApiKeyProvider::~ApiKeyProvider() = default;

void ApiKeyProvider::sign(SignableRequest& request) {
  std::shared_ptr<const detail::PrivateKey> key;
  std::string token;
  {
    std::lock_guard lock(impl_->mutex);
    key = impl_->key;
    token = impl_->token;
  }
  if (!key || (impl_->token_file && token.empty())) {
    if (!key) key = impl_->read_key();
    if (impl_->token_file && token.empty()) token = impl_->read_token();
    std::lock_guard lock(impl_->mutex);
    impl_->key = key;
    impl_->token = token;
  }
  const std::string key_id = impl_->token_file ? "ST$" + token : impl_->key_id;
  detail::sign_request(request, key_id, *key, std::chrono::system_clock::now());
}

std::string ApiKeyProvider::region() const { return impl_->region; }

std::string ApiKeyProvider::tenancy_id() const { return impl_->tenancy; }

bool ApiKeyProvider::refresh() {
  if (!impl_->token_file) return false;
  std::string token = impl_->read_token();
  auto key = impl_->read_key();
  std::lock_guard lock(impl_->mutex);
  impl_->token = std::move(token);
  impl_->key = std::move(key);
  return true;
}

std::string_view ApiKeyProvider::kind() const noexcept { return "api_key"; }

std::string ApiKeyProvider::source() const { return impl_->where(); }

}  // namespace fdk::oci
