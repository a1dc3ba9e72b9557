#include "instance_identity.hpp"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <stdexcept>

#include "encoding/base64.hpp"
#include "oci/auth/certificate.hpp"
#include "oci/auth/request_signing.hpp"

namespace oci_emulator {
namespace {

// The DER SubjectPublicKeyInfo of a PEM certificate (the federation request is signed with
// the matching private key).
std::string public_key_der(const std::string& certificate_pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(certificate_pem.data(), static_cast<int>(certificate_pem.size())),
                                                BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
  if (!certificate) throw std::invalid_argument("the instance certificate is not a PEM certificate");
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(X509_get0_pubkey(certificate.get()), &der);
  if (length <= 0) throw std::invalid_argument("the instance certificate has no usable public key");
  std::string result(reinterpret_cast<char*>(der), static_cast<std::size_t>(length));
  OPENSSL_free(der);
  return result;
}

std::string base64url(const std::string& bytes) {
  std::string text = fdk::encoding::base64_encode(bytes);
  for (char& c : text) c = c == '+' ? '-' : c == '/' ? '_' : c;
  while (!text.empty() && text.back() == '=') text.pop_back();
  return text;
}

Reply text_reply(int status, std::string body) {
  Reply reply;
  reply.status = status;
  reply.headers.set("Content-Type", "text/plain");
  reply.body = std::move(body);
  return reply;
}

}  // namespace

InstanceIdentity::InstanceIdentity(std::string region, std::string certificate_pem, std::string private_key_pem,
                                   std::string intermediate_pem)
    : region_(std::move(region)),
      certificate_pem_(std::move(certificate_pem)),
      private_key_pem_(std::move(private_key_pem)),
      intermediate_pem_(std::move(intermediate_pem)),
      leaf_key_(fdk::oci::detail::PublicKey::from_der(public_key_der(certificate_pem_), "instance certificate")) {
  const auto certificate = fdk::oci::detail::Certificate::from_pem(certificate_pem_, "instance certificate");
  tenancy_ = fdk::oci::detail::tenancy_from_subject(certificate.subject_values());
  fingerprint_ = certificate.sha1_fingerprint();
  if (tenancy_.empty()) throw std::invalid_argument("the instance certificate subject has no opc-tenant:<ocid> value");
}

Reply InstanceIdentity::metadata(const Request& request, const std::string& what) const {
  if (request.headers.get_or("authorization", "") != "Bearer Oracle") {
    return text_reply(401, "metadata requests need the header 'Authorization: Bearer Oracle'");
  }
  if (request.method != "GET") return text_reply(405, "metadata is read with GET");
  if (what == "instance/region") return text_reply(200, region_);
  if (what == "identity/cert.pem") return text_reply(200, certificate_pem_);
  if (what == "identity/key.pem") return text_reply(200, private_key_pem_);
  if (what == "identity/intermediate.pem") return text_reply(200, intermediate_pem_);
  return text_reply(404, "the emulator's metadata service has no '" + what + "'");
}

std::optional<std::string> InstanceIdentity::federation_reject_reason(const Request& request) const {
  const fdk::oci::SignableRequest signable{request.method, request.headers.get_or("host", ""), request.target,
                                           request.headers, request.body};
  std::string key_id;
  if (fdk::oci::detail::verify_request(signable, leaf_key_, &key_id) != fdk::oci::detail::VerifyResult::ok) {
    return "the federation request is not signed with the instance certificate's key";
  }
  if (key_id != tenancy_ + "/fed-x509/" + fingerprint_) {
    return "the federation keyId must be <tenancy>/fed-x509/<SHA-1 fingerprint of the instance certificate>";
  }
  return std::nullopt;
}

std::string InstanceIdentity::issue_token(std::chrono::seconds lifetime) const {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  const nlohmann::json header = {{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "emulator"}};
  const nlohmann::json payload = {{"sub", "ocid1.instance.oc1.iad.emulator"}, {"res_tenant", tenancy_},
                                  {"ptype", "instance"},                       {"iat", now.count()},
                                  {"exp", (now + lifetime).count()}};
  return base64url(header.dump()) + "." + base64url(payload.dump()) + "." + base64url("emulator-unsigned");
}

}  // namespace oci_emulator
