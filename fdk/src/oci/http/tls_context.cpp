#include "oci/http/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/stat.h>

#include "fdk/oci/call_errors.hpp"

namespace fdk::oci::http {
namespace {

bool is_directory(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

void load_file(SSL_CTX* ctx, const std::string& file, const char* what) {
  if (SSL_CTX_load_verify_locations(ctx, file.c_str(), nullptr) != 1) {
    throw NetworkError(std::string("cannot load ") + what + " '" + file + "': " + drain_openssl_errors() +
                           "; check that the file exists and holds PEM certificates",
                       false);
  }
}

}  // namespace

std::string drain_openssl_errors() {
  std::string text;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    if (!text.empty()) text += "; ";
    text += buffer;
  }
  return text.empty() ? "no OpenSSL detail" : text;
}

TlsContext::TlsContext(const TrustSettings& trust) : ctx_(SSL_CTX_new(TLS_client_method())) {
  if (ctx_ == nullptr) throw NetworkError("cannot create a TLS context: " + drain_openssl_errors(), false);
  SSL_CTX_set_min_proto_version(ctx_, TLS1_2_VERSION);
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_mode(ctx_, SSL_MODE_AUTO_RETRY);
  try {
    // A missing default directory is not fatal (minimal containers); an explicit file is.
    if (!trust.ca_directory.empty() && is_directory(trust.ca_directory)) {
      SSL_CTX_load_verify_locations(ctx_, nullptr, trust.ca_directory.c_str());
    }
    if (!trust.ca_bundle_file.empty()) load_file(ctx_, trust.ca_bundle_file, "CA bundle file");
    if (!trust.extra_ca_file.empty()) load_file(ctx_, trust.extra_ca_file, "extra CA file (OCI_CA_BUNDLE)");
  } catch (...) {
    SSL_CTX_free(ctx_);
    throw;
  }
}

TlsContext::~TlsContext() { SSL_CTX_free(ctx_); }

}  // namespace fdk::oci::http
