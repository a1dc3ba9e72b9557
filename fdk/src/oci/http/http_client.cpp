#include "oci/http/http_client.hpp"

#include <map>
#include <mutex>
#include <vector>

#include "fdk/oci/call_errors.hpp"
#include "oci/http/sigpipe_block.hpp"

namespace fdk::oci::http {
namespace {

std::string serialize(const HttpRequest& request, const Url& url, bool absolute_form) {
  std::string out;
  out.reserve(256 + request.body.size());
  out += request.method + " " + (absolute_form ? url.origin() + url.target : url.target) + " HTTP/1.1\r\n";
  if (!request.headers.contains("host")) out += "Host: " + url.authority() + "\r\n";
  for (const auto& [name, value] : request.headers) {
    if (iequals(name, "content-length") || iequals(name, "connection")) continue;
    out += name + ": " + value + "\r\n";
  }
  const bool has_body = !request.body.empty() || request.method == "POST" || request.method == "PUT" ||
                        request.method == "PATCH";
  if (has_body) out += "Content-Length: " + std::to_string(request.body.size()) + "\r\n";
  out += "Connection: keep-alive\r\n\r\n";
  out += request.body;
  return out;
}

HttpResponse exchange(Connection& connection, const std::string& wire, bool head, SteadyTime until,
                      bool& nothing_received) {
  nothing_received = true;
  connection.write_all(wire, until);
  ResponseParser parser(head);
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
  const std::optional<Url> proxy = proxy_for(url, impl_->settings.env);
  const bool absolute_form = proxy && !url.is_https();
  const std::string key = url.origin() + (proxy ? " via " + proxy->origin() : "");
  const std::string wire = serialize(request, url, absolute_form);
  const bool head = request.method == "HEAD";

  if (std::unique_ptr<Connection> reused = impl_->take_idle(key)) {
    bool nothing_received = true;
    try {
      HttpResponse response = exchange(*reused, wire, head, until, nothing_received);
      if (response.keep_alive) impl_->give_back(key, std::move(reused));
      return response;
    } catch (const NetworkError&) {
      // A server may close an idle connection just as we reuse it; only then is resending safe.
      if (!nothing_received) throw;
    }
  }
  TlsContext* tls = url.is_https() ? impl_->tls_context() : nullptr;
  std::unique_ptr<Connection> fresh = Connection::open(url, proxy, tls, until);
  bool nothing_received = true;
  HttpResponse response = exchange(*fresh, wire, head, until, nothing_received);
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
