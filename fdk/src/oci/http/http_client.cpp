#include "oci/http/http_client.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "fdk/oci/call_errors.hpp"
#include "http/message_writer.hpp"
#include "oci/http/sigpipe_block.hpp"

namespace fdk::oci::http {
namespace {

std::string printable(std::string_view text) {
  std::string shown;
  for (char c : text) shown += (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ? '?' : c;
  return shown;
}

// Refuses what would change the message's framing: the value is not quoted (it may be a secret).
void check_header(const std::string& name, const std::string& value) {
  if (!fdk::http::is_token(name)) {
    throw std::invalid_argument("the header name '" + printable(name) +
                                "' is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)");
  }
  if (!fdk::http::is_field_value(value)) {
    throw std::invalid_argument("the value of header '" + name +
                                "' contains a control character (CR, LF, NUL...); such a value would start a new "
                                "header line on the wire, so the request was not sent");
  }
}

bool replayable(const HttpRequest& request) {
  static const char* const idempotent[] = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"};
  for (const char* method : idempotent) {
    if (request.method == method) return true;
  }
  return request.headers.contains("opc-retry-token");
}

// The request line: a token method and a target without spaces or control characters.
void check_request_line(const HttpRequest& request, const Url& url) {
  if (!fdk::http::is_token(request.method)) {
    throw std::invalid_argument("the method '" + printable(request.method) + "' is not a valid HTTP method");
  }
  const auto bad = [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7F; };
  if (std::any_of(url.target.begin(), url.target.end(), bad) || std::any_of(url.host.begin(), url.host.end(), bad)) {
    throw std::invalid_argument("the URL of the request contains a space or a control character; percent-encode "
                                "path segments (fdk::oci::encode_path_segment)");
  }
}

// Host unless the caller set it; Proxy-Authorization for a plain-http proxy with credentials
// (replacing the caller's); Content-Length and Connection always the client's own.
std::string serialize(const HttpRequest& request, const Url& url, const std::optional<Proxy>& proxy) {
  check_request_line(request, url);
  const bool absolute_form = proxy && !url.is_https();
  const bool proxy_credentials = absolute_form && !proxy->authorization.empty();
  std::string out;
  out.reserve(256 + request.body.size());
  fdk::http::write_request_line(out, request.method, absolute_form ? url.origin() + url.target : url.target);
  if (!request.headers.contains("host")) fdk::http::write_header(out, "Host", url.authority());
  for (const auto& [name, value] : request.headers) {
    check_header(name, value);
    if (iequals(name, "content-length") || iequals(name, "connection") ||
        (proxy_credentials && iequals(name, "proxy-authorization"))) {
      continue;
    }
    fdk::http::write_header(out, name, value);
  }
  if (proxy_credentials) fdk::http::write_header(out, "Proxy-Authorization", proxy->authorization);
  const bool has_body = !request.body.empty() || request.method == "POST" || request.method == "PUT" ||
                        request.method == "PATCH";
  if (has_body) fdk::http::write_header(out, "Content-Length", std::to_string(request.body.size()));
  fdk::http::write_header(out, "Connection", "keep-alive");
  fdk::http::end_head(out);
  out += request.body;
  return out;
}

HttpResponse exchange(Connection& connection, const std::string& wire, bool head, std::size_t max_body_bytes,
                      SteadyTime until, bool& nothing_received) {
  nothing_received = true;
  connection.write_all(wire, until);
  ResponseParser parser(head, max_body_bytes);
  char buffer[16384];
  for (;;) {
    const std::size_t got = connection.read_some(buffer, sizeof buffer, until);
    if (got == 0) {
      parser.finish();
      break;
    }
    nothing_received = false;
    if (parser.feed(std::string_view(buffer, got))) break;
  }
  return std::move(parser.response());
}

}  // namespace

struct HttpClient::Impl {
  HttpClientSettings settings;
  std::mutex mutex;
  std::unique_ptr<TlsContext> tls;  // created on the first https request
  std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle;

  TlsContext* tls_context() {
    std::lock_guard<std::mutex> lock(mutex);
    if (!tls) tls = std::make_unique<TlsContext>(settings.trust);
    return tls.get();
  }

  std::unique_ptr<Connection> take_idle(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex);
    auto& pool = idle[key];
    while (!pool.empty()) {
      std::unique_ptr<Connection> connection = std::move(pool.back());
      pool.pop_back();
      if (connection->still_usable()) return connection;
    }
    return nullptr;
  }

  void give_back(const std::string& key, std::unique_ptr<Connection> connection) {
    std::lock_guard<std::mutex> lock(mutex);
    auto& pool = idle[key];
    if (pool.size() < settings.max_idle_per_origin) pool.push_back(std::move(connection));
  }
};

HttpClient::HttpClient(HttpClientSettings settings) : impl_(std::make_unique<Impl>()) {
  impl_->settings = std::move(settings);
}

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::send(const HttpRequest& request, SteadyTime until) {
  // OpenSSL writes through the socket BIO (handshakes, records, alerts) with no MSG_NOSIGNAL.
  SigpipeBlock no_sigpipe;
  const Url url = parse_url(request.url);
  const std::optional<Proxy> proxy = proxy_for(url, impl_->settings.env);
  const std::string key = url.origin() + (proxy ? " via " + proxy->url.origin() : "");
  const std::string wire = serialize(request, url, proxy);
  const bool head = request.method == "HEAD";
  const std::size_t limit = impl_->settings.max_response_body_bytes;

  if (std::unique_ptr<Connection> reused = impl_->take_idle(key)) {
    bool nothing_received = true;
    try {
      HttpResponse response = exchange(*reused, wire, head, limit, until, nothing_received);
      if (response.keep_alive) impl_->give_back(key, std::move(reused));
      return response;
    } catch (const NetworkError&) {
      // A server may close an idle connection just as we reuse it. Whether it read the request
      // first cannot be known, so only a request that may be applied twice is sent again.
      if (!nothing_received || !replayable(request)) throw;
    }
  }
  TlsContext* tls = url.is_https() ? impl_->tls_context() : nullptr;
  std::unique_ptr<Connection> fresh = Connection::open(url, proxy, tls, until);
  bool nothing_received = true;
  HttpResponse response = exchange(*fresh, wire, head, limit, until, nothing_received);
  if (response.keep_alive) impl_->give_back(key, std::move(fresh));
  return response;
}

std::size_t HttpClient::idle_connections() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  std::size_t count = 0;
  for (const auto& [key, pool] : impl_->idle) count += pool.size();
  return count;
}

}  // namespace fdk::oci::http
