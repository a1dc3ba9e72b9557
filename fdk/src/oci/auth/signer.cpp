#include "fdk/oci/signer.hpp"

#include <mutex>

#include "oci/auth/private_key.hpp"
#include "oci/auth/request_signing.hpp"
#include "oci/auth/secret_text.hpp"

namespace fdk::oci {

struct RequestSigner::Impl {
  std::string key_id;
  std::string origin;
  std::string pem;
  std::optional<std::string> passphrase;
  std::once_flag parsed;
  std::optional<detail::PrivateKey> key;

  ~Impl() {
    detail::wipe(pem);
    if (passphrase) detail::wipe(*passphrase);
  }

  const detail::PrivateKey& private_key() {
    // call_once leaves the flag unset when parsing throws, so a later sign reports the error again.
    std::call_once(parsed, [this] {
      key = detail::PrivateKey::from_pem(pem, passphrase ? std::optional<std::string_view>(*passphrase) : std::nullopt,
                                         origin);
      detail::wipe(pem);
      if (passphrase) detail::wipe(*passphrase);
    });
    return *key;
  }
};

RequestSigner::RequestSigner(std::string key_id, std::string private_key_pem, std::optional<std::string> passphrase,
                             std::string key_origin)
    : impl_(std::make_unique<Impl>()) {
  impl_->key_id = std::move(key_id);
  impl_->pem = std::move(private_key_pem);
  impl_->passphrase = std::move(passphrase);
  impl_->origin = std::move(key_origin);
}

RequestSigner::RequestSigner(RequestSigner&&) noexcept = default;
RequestSigner& RequestSigner::operator=(RequestSigner&&) noexcept = default;
RequestSigner::~RequestSigner() = default;

void RequestSigner::sign(SignableRequest& request) const { sign_at(request, std::chrono::system_clock::now()); }

void RequestSigner::sign_at(SignableRequest& request, std::chrono::system_clock::time_point when) const {
  detail::sign_request(request, impl_->key_id, impl_->private_key(), when);
}

void RequestSigner::sign_with_date(SignableRequest& request, std::string http_date) const {
  detail::sign_request_dated(request, impl_->key_id, impl_->private_key(), std::move(http_date));
}

const std::string& RequestSigner::key_id() const noexcept { return impl_->key_id; }

}  // namespace fdk::oci
