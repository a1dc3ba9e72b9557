#include "fdk/oci/resource_principal.hpp"

#include <mutex>

#include "fdk/oci/errors.hpp"
#include "oci/auth/http_date.hpp"
#include "oci/auth/refresh_policy.hpp"
#include "oci/auth/request_signing.hpp"
#include "oci/auth/resource_principal_settings.hpp"

namespace fdk::oci {

struct ResourcePrincipalProvider::Impl {
  detail::ResourcePrincipalSettings settings;
  Clock clock;
  mutable std::mutex mutex;
  mutable std::optional<detail::SessionCredentials> current;

  // Loads on first use and re-reads files when the token is about to expire.
  const detail::SessionCredentials& fresh_locked() const {
    const auto now = detail::now_from(clock);
    const bool stale = current && detail::needs_refresh(current->claims.expires_at, now);
    if (!current || (stale && settings.uses_files())) current = detail::load_resource_principal(settings);
    if (current->claims.expires_at <= now) throw_expired();
    return *current;
  }

  [[noreturn]] void throw_expired() const {
    throw CredentialsError("The resource principal session token from " + settings.token.describe() +
                           " expired at " + detail::format_http_date(current->claims.expires_at) +
                           (settings.token.is_file() ? "; the platform has not rotated the file."
                                                     : "; an inline token cannot be renewed, provide a current one."));
  }
};

ResourcePrincipalProvider::ResourcePrincipalProvider(const Config& environment, Clock clock)
    : impl_(std::make_unique<Impl>()) {
  impl_->settings = detail::ResourcePrincipalSettings::from_environment(environment);
  impl_->clock = std::move(clock);
}

ResourcePrincipalProvider::~ResourcePrincipalProvider() = default;

void ResourcePrincipalProvider::sign(SignableRequest& request) {
  std::string token;
  std::shared_ptr<const detail::PrivateKey> key;
  {
    std::lock_guard lock(impl_->mutex);
    const auto& credentials = impl_->fresh_locked();
    token = credentials.token;
    key = credentials.key;
  }
  detail::sign_request(request, "ST$" + token, *key, detail::now_from(impl_->clock));
}

std::string ResourcePrincipalProvider::region() const { return impl_->settings.region; }

std::string ResourcePrincipalProvider::tenancy_id() const {
  auto tenant = claims().tenant_id;
  if (tenant.empty()) {
    throw CredentialsError("The session token from " + impl_->settings.token.describe() +
                           " has no 'res_tenant' claim, so the tenancy is unknown.");
  }
  return tenant;
}

bool ResourcePrincipalProvider::refresh() {
  std::lock_guard lock(impl_->mutex);
  impl_->current = detail::load_resource_principal(impl_->settings);
  return impl_->settings.uses_files();
}

std::string_view ResourcePrincipalProvider::kind() const noexcept { return "resource_principal"; }

SessionTokenClaims ResourcePrincipalProvider::claims() const {
  std::lock_guard lock(impl_->mutex);
  if (!impl_->current) impl_->current = detail::load_resource_principal(impl_->settings);
  return impl_->current->claims;
}

}  // namespace fdk::oci
