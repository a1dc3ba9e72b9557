#include "fdk/oci/instance_principal.hpp"

#include <nlohmann/json.hpp>

#include <mutex>
#include <optional>

#include "fdk/oci/errors.hpp"
#include "oci/http/url.hpp"
#include "fdk/oci/regions.hpp"
#include "encoding/base64.hpp"
#include "oci/auth/certificate.hpp"
#include "oci/auth/inline_or_file.hpp"
#include "oci/auth/private_key.hpp"
#include "oci/auth/refresh_policy.hpp"
#include "oci/auth/request_signing.hpp"
#include "oci/auth/secret_text.hpp"
#include "oci/auth/session_token.hpp"

namespace fdk::oci {
namespace {

constexpr std::string_view kMetadataVariable = "OCI_METADATA_BASE_URL";
constexpr std::string_view kDefaultMetadataBase = "http://169.254.169.254/opc/v2/";
constexpr std::string_view kAuthEndpointVariable = "OCI_AUTH_ENDPOINT";
constexpr int kSessionKeyBits = 2048;

struct UrlParts {
  std::string host;  // host[:port]
  std::string path;  // path?query, at least "/"
};

// Only absolute http(s) URLs reach here: ours or the OCI_AUTH_ENDPOINT override.
UrlParts split_url(const std::string& url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    throw CredentialsError("The federation URL '" + url + "' (" + std::string(kAuthEndpointVariable) +
                           ") is not an absolute http(s) URL.");
  }
  const std::size_t host_start = scheme_end + 3;
  const std::size_t path_start = url.find('/', host_start);
  if (path_start == std::string::npos) return {url.substr(host_start), "/"};
  return {url.substr(host_start, path_start - host_start), url.substr(path_start)};
}

std::string without_trailing_slash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

struct Session {
  std::string token;
  SessionTokenClaims claims;
  std::string tenancy;
  std::shared_ptr<const detail::PrivateKey> key;
};

}  // namespace

struct InstancePrincipalProvider::Impl {
  std::string metadata_base;
  std::optional<std::string> auth_endpoint;
  HttpTransport transport;
  Clock clock;

  std::mutex mutex;
  std::optional<std::string> region;
  std::optional<Session> session;

  std::string call(const std::string& method, const std::string& url, Headers headers, std::string body,
                   std::string_view purpose) {
    TransportResponse response;
    try {
      response = transport(TransportRequest{method, url, std::move(headers), std::move(body)});
    } catch (const std::exception& error) {
      // Usually: not on an OCI instance at all, because nothing else was configured.
      throw CredentialsError("Instance principal: " + std::string(purpose) + " at '" + http::without_user_info(url) + "' failed: " +
                             error.what() +
                             ". Off OCI compute instances configure other credentials: on OCI Functions "
                             "OCI_RESOURCE_PRINCIPAL_VERSION is set for you; elsewhere point OCI_CONFIG_FILE or "
                             "OCI_CONFIG_PROFILE at an API key.");
    }
    if (response.status != 200) {
      throw CredentialsError("Instance principal: " + std::string(purpose) + " at '" + http::without_user_info(url) + "' answered HTTP " +
                             std::to_string(response.status) + describe_error_body(response.body) + ".");
    }
    return std::move(response.body);
  }

  // OCI error bodies carry a code and message; a successful body may hold a token, so only
  // those two fields are ever quoted.
  static std::string describe_error_body(const std::string& body) {
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (!json.is_object()) return {};
    std::string text;
    if (auto code = json.find("code"); code != json.end() && code->is_string()) text += " " + code->get<std::string>();
    if (auto message = json.find("message"); message != json.end() && message->is_string()) {
      text += ": " + message->get<std::string>().substr(0, 200);
    }
    return text;
  }

  std::string metadata(const std::string& path, std::string_view purpose) {
    Headers headers;
    headers.set("Authorization", "Bearer Oracle");
    return call("GET", metadata_base + path, std::move(headers), {}, purpose);
  }

  const std::string& region_locked() {
    if (!region) {
      const std::string answer = detail::trim(metadata("instance/region", "reading the region"));
      if (answer.empty()) throw CredentialsError("Instance principal: the metadata service returned an empty region.");
      std::string id = canonical_region(answer);
      if (!is_valid_region(id)) {
        throw CredentialsError("Instance principal: the metadata service's answer for the region is not a region name (letters, digits and '-', such as us-ashburn-1, or a short code such as iad).");
      }
      region = std::move(id);
    }
    return *region;
  }

  std::string federation_url() {
    if (auth_endpoint) return without_trailing_slash(*auth_endpoint) + "/v1/x509";
    const std::string region_id = region_locked();
    return "https://auth." + region_id + "." + realm_domain_for_region(region_id) + "/v1/x509";
  }

  Session federate_locked() {
    const std::string leaf_url = metadata_base + "identity/cert.pem";
    const auto leaf = detail::Certificate::from_pem(metadata("identity/cert.pem", "reading the instance certificate"),
                                                    leaf_url);
    const auto intermediate = detail::Certificate::from_pem(
        metadata("identity/intermediate.pem", "reading the intermediate certificate"),
        metadata_base + "identity/intermediate.pem");
    std::string key_pem = metadata("identity/key.pem", "reading the instance key");
    detail::ScopedWipe wipe_key(key_pem);
    const auto instance_key = detail::PrivateKey::from_pem(key_pem, std::nullopt, metadata_base + "identity/key.pem");

    Session next;
    next.tenancy = detail::tenancy_from_subject(leaf.subject_values());
    if (next.tenancy.empty()) {
      throw CredentialsError("Instance principal: the certificate from '" + leaf_url +
                             "' names no tenancy (no opc-tenant: or opc-identity: subject value).");
    }
    next.key = std::make_shared<const detail::PrivateKey>(detail::PrivateKey::generate_rsa(kSessionKeyBits));
    const nlohmann::json body = {
        {"certificate", encoding::base64_encode(leaf.der())},
        {"publicKey", encoding::base64_encode(next.key->public_key_der())},
        {"intermediateCertificates", {encoding::base64_encode(intermediate.der())}},
    };
    const std::string url = federation_url();
    const auto parts = split_url(url);
    SignableRequest request{"POST", parts.host, parts.path, {}, body.dump()};
    request.headers.set("content-type", "application/json");
    detail::sign_request(request, next.tenancy + "/fed-x509/" + leaf.sha1_fingerprint(), instance_key,
                         detail::now_from(clock));
    const auto answer = nlohmann::json::parse(call("POST", url, request.headers, request.body, "federation"), nullptr, false);
    const auto token = answer.is_object() ? answer.find("token") : answer.end();
    if (!answer.is_object() || token == answer.end() || !token->is_string() || token->get<std::string>().empty()) {
      throw CredentialsError("Instance principal: federation at '" + url + "' answered without a token.");
    }
    next.token = token->get<std::string>();
    next.claims = detail::parse_session_token(next.token, url);
    return next;
  }

  const Session& fresh_locked() {
    if (!session || detail::needs_refresh(session->claims.expires_at, detail::now_from(clock))) {
      session = federate_locked();
    }
    return *session;
  }
};

InstancePrincipalProvider::InstancePrincipalProvider(const Config& environment, HttpTransport transport, Clock clock)
    : impl_(std::make_unique<Impl>()) {
  if (!transport) {
    throw CredentialsError("Instance principal credentials need an HTTP transport to reach the metadata service.");
  }
  impl_->metadata_base = environment.get_or(kMetadataVariable, kDefaultMetadataBase);
  if (impl_->metadata_base.empty()) impl_->metadata_base = std::string(kDefaultMetadataBase);
  if (impl_->metadata_base.back() != '/') impl_->metadata_base.push_back('/');
  if (auto endpoint = environment.get(kAuthEndpointVariable); endpoint && !endpoint->empty()) {
    impl_->auth_endpoint = *endpoint;
  }
  impl_->transport = std::move(transport);
  impl_->clock = std::move(clock);
}

InstancePrincipalProvider::~InstancePrincipalProvider() = default;

void InstancePrincipalProvider::sign(SignableRequest& request) {
  std::string token;
  std::shared_ptr<const detail::PrivateKey> key;
  {
    std::lock_guard lock(impl_->mutex);
    const auto& session = impl_->fresh_locked();
    token = session.token;
    key = session.key;
  }
  detail::sign_request(request, "ST$" + token, *key, detail::now_from(impl_->clock));
}

std::string InstancePrincipalProvider::region() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->region_locked();
}

std::string InstancePrincipalProvider::tenancy_id() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->fresh_locked().tenancy;
}

bool InstancePrincipalProvider::refresh() {
  std::lock_guard lock(impl_->mutex);
  impl_->session = impl_->federate_locked();
  return true;
}

std::string_view InstancePrincipalProvider::kind() const noexcept { return "instance_principal"; }

SessionTokenClaims InstancePrincipalProvider::claims() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->fresh_locked().claims;
}

}  // namespace fdk::oci
