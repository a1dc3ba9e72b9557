// Helpers for the auth tests: keys generated at test time, scratch files, session tokens.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "fdk/config.hpp"

namespace oci_test {

inline constexpr const char* kPassphrase = "correct horse battery staple";

/// PEM encodings of one RSA-2048 key generated once per test run.
struct TestKeyPems {
  std::string pkcs1;                 ///< -----BEGIN RSA PRIVATE KEY-----
  std::string pkcs8;                 ///< -----BEGIN PRIVATE KEY-----
  std::string pkcs8_encrypted;       ///< -----BEGIN ENCRYPTED PRIVATE KEY----- (kPassphrase)
  std::string traditional_encrypted; ///< RSA PRIVATE KEY with Proc-Type: 4,ENCRYPTED (kPassphrase)
  std::string public_key;            ///< -----BEGIN PUBLIC KEY-----
};
const TestKeyPems& test_key();

/// A second, unrelated key (rotation tests).
const TestKeyPems& other_test_key();

/// A self-signed PEM certificate for `key_pem` whose subject has CN `common_name` and one OU
/// per entry of `organizational_units` (instance certificates carry `opc-tenant:<ocid>`).
std::string make_certificate(const std::string& key_pem, const std::string& common_name,
                             const std::vector<std::string>& organizational_units);

/// A fresh directory under the system temp dir, removed when the object goes away.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  /// Writes `content` to `name` inside the directory; returns the absolute path.
  std::string write(const std::string& name, const std::string& content) const;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// A JWT whose payload has the given claims (strings) plus `exp`; signature part is junk,
/// as SDKs do not verify resource principal token signatures.
std::string make_token(std::chrono::system_clock::time_point expires_at,
                       const std::map<std::string, std::string>& claims = {
                           {"res_tenant", "ocid1.tenancy.oc1..tenant"},
                           {"res_compartment", "ocid1.compartment.oc1..compartment"}});

/// The message of the CredentialsError `action` throws, or a sentinel saying none was thrown
/// (which no test expects to find text in).
std::string credentials_error_of(const std::function<void()>& action);

/// A fixed clock value and a Config built from a map.
std::chrono::system_clock::time_point fixed_now();
fdk::Config env(std::map<std::string, std::string, std::less<>> values);

}  // namespace oci_test
