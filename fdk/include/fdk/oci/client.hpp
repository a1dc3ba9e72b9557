// fdk::oci::Client — signed, retried REST calls to any OCI service endpoint. The typed
// clients (ComputeClient, ...) are built on it; use it directly for other OCI APIs.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fdk/config.hpp"
#include "fdk/context.hpp"
#include "fdk/export.hpp"
#include "fdk/headers.hpp"
#include "fdk/oci/auth.hpp"
#include "fdk/oci/call_errors.hpp"
#include "fdk/oci/retry.hpp"
#include "fdk/oci/timing.hpp"
#include "fdk/oci/transport.hpp"

namespace fdk::oci {

/// Per-call settings: the deadline nothing may run or sleep past, and an optional retry token.
struct FDK_API CallOptions {
  CallOptions() = default;
  /// The deadline of the function call being served (implicit, so `get_instance(id, ctx)` works).
  CallOptions(const fdk::Context& context);  // NOLINT(google-explicit-constructor)

  /// Nothing is sent, waited for or slept past this point; empty means no deadline.
  std::optional<std::chrono::system_clock::time_point> deadline;
  /// `opc-retry-token` for actions that accept one; empty means one is generated per call.
  std::string retry_token;
};

/// One REST call. `path` segments must already be percent-encoded (see encode_path_segment);
/// query values are encoded by the client.
struct FDK_API ServiceRequest {
  std::string method = "GET";
  std::string endpoint;  ///< base URL with API version, e.g. `https://iaas.us-ashburn-1.oraclecloud.com/20160918`
  std::string path;      ///< e.g. `/instances/ocid1.instance...`
  std::vector<std::pair<std::string, std::string>> query;
  std::string body;
  /// Send an `opc-retry-token` (kept across retries) so a retried action is applied once.
  bool retry_token = false;
  Headers headers;  ///< extra headers
};

/// A successful (2xx) answer.
struct FDK_API ServiceResponse {
  int status = 0;
  Headers headers;
  std::string body;
  /// The body parsed as JSON (null for an empty body). Throws NetworkError on invalid JSON.
  /// Inline, so no exported symbol names an nlohmann type.
  [[nodiscard]] FDK_HIDDEN_INLINE nlohmann::json json() const {
    if (body.empty()) return nullptr;
    auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (parsed.is_discarded()) {
      throw NetworkError("the service answered " + std::to_string(status) + " with a body that is not JSON", false);
    }
    return parsed;
  }
  [[nodiscard]] std::string opc_request_id() const { return headers.get_or("opc-request-id", ""); }
};

/// How the client connects, retries and measures time.
struct FDK_API ClientOptions {
  RetryPolicy retry;
  Timing timing;
  /// Hashed CA directory, cheap to load; the default trust store.
  std::string ca_directory = "/etc/ssl/certs";
  /// A PEM bundle file to trust as well (loading the system bundle costs 70–100 ms).
  std::string ca_bundle_file;
  /// One more trusted CA file; empty means the setting `OCI_CA_BUNDLE` of `config`, if set.
  std::string extra_ca_file;
  /// Longest wait for one attempt (connect, send, receive) when the deadline is further away.
  std::chrono::milliseconds attempt_timeout{60000};
  /// `User-Agent`; empty means `fdk-cpp/<version>`. A control character in it is refused.
  std::string user_agent;
  /// Longest response body accepted (16 MiB by default, far above OCI's JSON answers and well
  /// under the smallest function's memory); a longer one fails the call with a NetworkError
  /// that is not retried, never with a truncated or empty body.
  std::size_t max_response_bytes = std::size_t(16) << 20;
  /// Where settings are read from: `OCI_CA_BUNDLE`, the endpoint overrides (`OCI_COMPUTE_ENDPOINT`,
  /// ...) and the proxy variables (`https_proxy`, `http_proxy`, `no_proxy`). Functions pass
  /// `ctx.config()`; empty means the process environment.
  std::optional<fdk::Config> config;
  /// Sends the requests instead of fdk-oci's HTTPS client when set: tests pass a
  /// fdk::oci::testing::FakeTransport (see <fdk/oci/fake_transport.hpp>).
  HttpTransport transport;
};

/// Sends signed requests with OCI's retry policy: `opc-request-id` generated once per call and
/// kept across retries, every attempt re-signed, one `auth.refresh()` and retry after a 401,
/// nothing sent or slept past the deadline. Connections are kept alive and reused.
/// Thread-safe; share one per process.
///
/// @code
///   auto client = std::make_shared<fdk::oci::Client>(auth);
///   fdk::oci::ServiceRequest request;
///   request.endpoint = fdk::oci::service_endpoint(fdk::oci::Service::compute, auth->region());
///   request.path = "/instances/" + fdk::oci::encode_path_segment(id);
///   nlohmann::json instance = client->call(request, ctx).json();
/// @endcode
class FDK_API Client {
 public:
  /// Throws std::invalid_argument for a null `auth` or a user agent with a control character.
  explicit Client(std::shared_ptr<AuthProvider> auth, ClientOptions options = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Sends `request`; returns a 2xx answer or throws ServiceError, NetworkError or
  /// DeadlineExceeded. When a retry would sleep past the deadline, the last error is thrown.
  /// A request that cannot be sent as given (an invalid endpoint URL, a header value with CR, LF
  /// or another control character, such as a bad retry token) throws std::invalid_argument and
  /// nothing is sent.
  ServiceResponse call(const ServiceRequest& request, const CallOptions& options = {});
  /// The same, bounded by the deadline of the function call `context` serves.
  ServiceResponse call(const ServiceRequest& request, const fdk::Context& context);

  [[nodiscard]] AuthProvider& auth() const noexcept;
  [[nodiscard]] const ClientOptions& options() const noexcept;
  /// The settings this client reads (options().config, or the process environment).
  [[nodiscard]] const fdk::Config& config() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Percent-encodes one path segment (RFC 3986 unreserved characters stay as they are).
[[nodiscard]] FDK_API std::string encode_path_segment(std::string_view segment);

}  // namespace fdk::oci
