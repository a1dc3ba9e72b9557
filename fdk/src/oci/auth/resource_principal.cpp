#include "fdk/oci/resource_principal.hpp"

#include <memory>
#include <mutex>

#include "fdk/oci/errors.hpp"
#include "oci/auth/http_date.hpp"
#include "oci/auth/refresh_policy.hpp"
#include "oci/auth/request_signing.hpp"
#include "oci/auth/resource_principal_settings.hpp"

namespace fdk::oci {

struct ResourcePrincipalProvider::Impl {
  using Credentials = std::shared_ptr<const detail::SessionCredentials>;

  detail::ResourcePrincipalSettings settings;
  Clock clock;
  mutable std::mutex mutex;  // guards `current` only: files are read and keys parsed outside it
  mutable Credentials current;

  // Reads the files (or values) again; two threads may both do it, the last one wins.
  Credentials reload() const {
    auto loaded = std::make_shared<const detail::SessionCredentials>(detail::load_resource_principal(settings));
    std::lock_guard lock(mutex);
    current = loaded;
    return loaded;
  }

  // Loads on first use and re-reads files when the token is about to expire.
  Credentials fresh() const {
    Credentials known;
    {
      std::lock_guard lock(mutex);
      known = current;
    }
    const auto now = detail::now_from(clock);
    const bool stale = known && detail::needs_refresh(known->claims.expires_at, now);
    if (!known || (stale && settings.uses_files())) known = reload();
    if (known->claims.expires_at <= now) throw_expired(*known);
    return known;
  }

  Credentials loaded() const {
    {
      std::lock_guard lock(mutex);
      if (current) return current;
    }
    return reload();
  }

  [[noreturn]] void throw_expired(const detail::SessionCredentials& credentials) const {
    throw CredentialsError("The resource principal session token from " + settings.token.describe() +
                           " expired at " + detail::format_http_date(credentials.claims.expires_at) +
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
  const auto credentials = impl_->fresh();
  detail::sign_request(request, "ST$" + credentials->token, *credentials->key, detail::now_from(impl_->clock));
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
  (void)impl_->reload();
  return impl_->settings.uses_files();
}

std::string_view ResourcePrincipalProvider::kind() const noexcept { return "resource_principal"; }

SessionTokenClaims ResourcePrincipalProvider::claims() const { return impl_->loaded()->claims; }

}  // namespace fdk::oci
