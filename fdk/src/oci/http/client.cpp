#include "fdk/oci/client.hpp"

#include <algorithm>
#include <random>
#include <stdexcept>

#include "fdk/version.hpp"
#include "http/message_writer.hpp"
#include "oci/http/http_client.hpp"
#include "oci/services/json_fields.hpp"

namespace fdk::oci {
namespace {

using SystemTime = std::chrono::system_clock::time_point;

std::string random_hex(std::size_t length) {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  static const char digits[] = "0123456789ABCDEF";
  std::string text;
  text.reserve(length);
  while (text.size() < length) {
    std::uint64_t bits = generator();
    for (int i = 0; i < 16 && text.size() < length; ++i, bits >>= 4) text += digits[bits & 0xF];
  }
  return text;
}

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

std::string encode_component(std::string_view text) {
  static const char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 0xF];
    }
  }
  return out;
}

std::string build_url(const ServiceRequest& request) {
  std::string url = request.endpoint;
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += request.path;
  char separator = '?';
  for (const auto& [name, value] : request.query) {
    url += separator + encode_component(name) + "=" + encode_component(value);
    separator = '&';
  }
  return url;
}

ServiceError error_from(const TransportResponse& response) {
  std::string code, message;
  const auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object()) {
    // Not value(name, ""): it throws for a member of another type, and this must not throw.
    code = detail::string_field(body, "code");
    message = detail::string_field(body, "message");
  } else {
    message = response.body.substr(0, 200);
  }
  return ServiceError(response.status, code, message, response.headers.get_or("opc-request-id", ""));
}

std::string default_user_agent() { return std::string("fdk-cpp/") + fdk::kVersion + " (oci)"; }

http::EnvLookup lookup_in(const fdk::Config& config) {
  return [&config](const char* name) { return config.get(name); };
}

}  // namespace


CallOptions::CallOptions(const fdk::Context& context) : deadline(context.deadline()) {}

std::string encode_path_segment(std::string_view segment) { return encode_component(segment); }

struct Client::Impl {
  std::shared_ptr<AuthProvider> auth;
  ClientOptions options;
  http::HttpClient http;

  Impl(std::shared_ptr<AuthProvider> provider, ClientOptions chosen)
      : auth(std::move(provider)), options(std::move(chosen)), http(settings_from(options)) {}

  static http::HttpClientSettings settings_from(ClientOptions& options) {
    if (!options.config) options.config = fdk::Config::from_environment();
    if (options.extra_ca_file.empty()) options.extra_ca_file = options.config->get_or("OCI_CA_BUNDLE", "");
    if (options.user_agent.empty()) options.user_agent = default_user_agent();
    if (!fdk::http::is_field_value(options.user_agent)) {
      throw std::invalid_argument("fdk::oci::ClientOptions::user_agent contains a control character (CR, LF...)");
    }
    http::HttpClientSettings settings;
    settings.trust.ca_directory = options.ca_directory;
    settings.trust.ca_bundle_file = options.ca_bundle_file;
    settings.trust.extra_ca_file = options.extra_ca_file;
    settings.env = lookup_in(*options.config);  // the config lives in options, as long as the client
    settings.max_response_body_bytes = options.max_response_bytes;
    return settings;
  }

  TransportResponse send(http::HttpRequest request, http::SteadyTime until) {
    if (options.transport) {
      return options.transport(TransportRequest{std::move(request.method), std::move(request.url),
                                                std::move(request.headers), std::move(request.body)});
    }
    http::HttpResponse response = http.send(request, until);
    return TransportResponse{response.status, std::move(response.body), std::move(response.headers)};
  }

  struct AttemptLimit {
    http::SteadyTime until;
    bool set_by_deadline = false;  // a timeout then means the deadline passed
  };

  // The attempt may not outlive the deadline nor the per-attempt timeout.
  AttemptLimit attempt_limit(const std::optional<SystemTime>& deadline) const {
    auto budget = std::chrono::duration_cast<std::chrono::milliseconds>(options.attempt_timeout);
    bool set_by_deadline = false;
    if (deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - options.timing.current());
      if (left < budget) {
        budget = std::max(left, std::chrono::milliseconds(0));
        set_by_deadline = true;
      }
    }
    return {std::chrono::steady_clock::now() + budget, set_by_deadline};
  }

  // What stays the same across attempts: request id and retry token are chosen once per call.
  Headers headers_for_every_attempt(const ServiceRequest& request, const CallOptions& call_options) const {
    Headers fixed = request.headers;
    fixed.set("accept", "application/json");
    fixed.set("user-agent", options.user_agent);
    if (!fixed.contains("opc-request-id")) fixed.set("opc-request-id", random_hex(32));  // a caller's id is kept
    if (request.retry_token) {
      fixed.set("opc-retry-token", call_options.retry_token.empty() ? random_hex(32) : call_options.retry_token);
    }
    if (!request.body.empty() && !fixed.contains("content-type")) fixed.set("content-type", "application/json");
    return fixed;
  }

  http::HttpRequest signed_request(const ServiceRequest& request, const http::Url& url, const Headers& fixed) {
    SignableRequest signable{request.method, url.authority(), url.target, fixed, request.body};
    auth->sign(signable);
    return http::HttpRequest{request.method, url.origin() + url.target, std::move(signable.headers),
                             std::move(signable.body)};
  }
};

Client::Client(std::shared_ptr<AuthProvider> auth, ClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(auth), std::move(options))) {
  if (!impl_->auth) throw std::invalid_argument("fdk::oci::Client needs an AuthProvider, got a null pointer");
}

Client::~Client() = default;

AuthProvider& Client::auth() const noexcept { return *impl_->auth; }
const ClientOptions& Client::options() const noexcept { return impl_->options; }
const fdk::Config& Client::config() const noexcept { return *impl_->options.config; }

ServiceResponse Client::call(const ServiceRequest& request, const fdk::Context& context) {
  return call(request, CallOptions(context));
}

ServiceResponse Client::call(const ServiceRequest& request, const CallOptions& call_options) {
  const http::Url url = http::parse_url(build_url(request));
  const std::string what = request.method + " " + url.origin() + url.target;
  const auto& deadline = call_options.deadline;
  const Timing& timing = impl_->options.timing;
  const RetryPolicy& retry = impl_->options.retry;

  const Headers fixed = impl_->headers_for_every_attempt(request, call_options);

  bool refreshed = false;
  for (int attempt = 1;; ++attempt) {
    if (deadline && timing.current() >= *deadline) {
      throw DeadlineExceeded("the deadline passed before attempt " + std::to_string(attempt) + " of " + what);
    }
    std::exception_ptr failure;
    const auto limit = impl_->attempt_limit(deadline);
    try {
      TransportResponse response = impl_->send(impl_->signed_request(request, url, fixed), limit.until);
      if (response.status >= 200 && response.status < 300) {
        return ServiceResponse{response.status, std::move(response.headers), std::move(response.body)};
      }
      ServiceError error = error_from(response);
      if (response.status == 401 && !refreshed) {
        refreshed = true;
        if (impl_->auth->refresh()) continue;  // fresh credentials: retry at once, it is not a backoff case
      }
      if (!is_retryable_status(error.status(), error.code())) throw error;
      failure = std::make_exception_ptr(error);
    } catch (const NetworkError& error) {
      const bool out_of_time = limit.set_by_deadline && std::chrono::steady_clock::now() >= limit.until;
      if (deadline && (out_of_time || timing.current() >= *deadline)) {
        throw DeadlineExceeded("the deadline passed during " + what + ": " + error.what());
      }
      if (!error.retryable()) throw;
      failure = std::current_exception();
    }
    if (attempt >= retry.max_attempts) std::rethrow_exception(failure);
    const auto delay = retry.delay_after(attempt, retry.draw_jitter());
    if (deadline && timing.current() + delay >= *deadline) std::rethrow_exception(failure);
    timing.pause(delay);
  }
}

}  // namespace fdk::oci
