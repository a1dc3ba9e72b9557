// The OpenSSL client context: trusted CAs, verification settings. Built on first HTTPS use,
// so a function that never calls OCI over TLS never initialises OpenSSL.
#pragma once

#include <memory>
#include <string>

struct ssl_ctx_st;

namespace fdk::oci::http {

/// Where trusted CA certificates come from.
struct TrustSettings {
  /// Hashed certificate directory (`c_rehash` layout), looked up per issuer: cheap to load.
  std::string ca_directory = "/etc/ssl/certs";
  /// A PEM bundle file, loaded whole (the system bundle costs 70–100 ms); empty for none.
  std::string ca_bundle_file;
  /// One more PEM file of trusted CAs (`OCI_CA_BUNDLE`), e.g. a private or test CA.
  std::string extra_ca_file;
};

/// An SSL_CTX that always verifies the peer chain; host names are checked per connection.
class TlsContext {
 public:
  /// Throws NetworkError (not retryable) when a configured CA file or directory cannot be used.
  explicit TlsContext(const TrustSettings& trust);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  [[nodiscard]] ssl_ctx_st* native() const noexcept { return ctx_; }

 private:
  ssl_ctx_st* ctx_ = nullptr;
};

/// The most recent OpenSSL error queue entries as one sentence fragment; clears the queue.
[[nodiscard]] std::string drain_openssl_errors();

}  // namespace fdk::oci::http
