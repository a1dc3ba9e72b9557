#include "fdk/oci/fake_transport.hpp"

#include <map>
#include <mutex>
#include <utility>

#include <nlohmann/json.hpp>

#include "oci/http/url.hpp"

namespace fdk::oci::testing {

struct FakeTransport::State {
  std::mutex mutex;
  // Per route: the answers still to give; the last one is given for ever.
  std::map<std::pair<std::string, std::string>, std::vector<TransportResponse>> routes;
  std::vector<TransportRequest> requests;

  TransportResponse answer(const TransportRequest& request) {
    const std::string path = path_of(request.url);
    std::lock_guard<std::mutex> lock(mutex);
    requests.push_back(request);
    auto route = routes.find({request.method, path});
    if (route == routes.end() || route->second.empty()) return not_found(request.method, path);
    TransportResponse response = route->second.front();
    if (route->second.size() > 1) route->second.erase(route->second.begin());
    return response;
  }

  static std::string path_of(const std::string& url) {
    std::string target = http::parse_url(url).target;
    return target.substr(0, target.find('?'));
  }

  static TransportResponse not_found(const std::string& method, const std::string& path) {
    const nlohmann::json body = {{"code", "NotAuthorizedOrNotFound"},
                                 {"message", "FakeTransport has no route for " + method + " " + path}};
    TransportResponse response{404, body.dump(), {}};
    response.headers.set("content-type", "application/json");
    response.headers.set("opc-request-id", "fake-transport");
    return response;
  }
};

FakeTransport::FakeTransport() : state_(std::make_shared<State>()) {}
FakeTransport::~FakeTransport() = default;

FakeTransport& FakeTransport::on(std::string method, std::string path, TransportResponse response) {
  return on_sequence(std::move(method), std::move(path), {std::move(response)});
}

FakeTransport& FakeTransport::on_sequence(std::string method, std::string path, std::vector<TransportResponse> responses) {
  std::lock_guard<std::mutex> lock(state_->mutex);
  state_->routes[{std::move(method), std::move(path)}] = std::move(responses);
  return *this;
}

HttpTransport FakeTransport::transport() const {
  return [state = state_](const TransportRequest& request) { return state->answer(request); };
}

std::vector<TransportRequest> FakeTransport::requests() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->requests;
}

FakeAuth::FakeAuth(std::string region) : region_(std::move(region)) {}
void FakeAuth::sign(SignableRequest& request) { request.headers.set("authorization", "fake"); }
std::string FakeAuth::region() const { return region_; }
std::string FakeAuth::tenancy_id() const { return "ocid1.tenancy.oc1..fake"; }
bool FakeAuth::refresh() { return false; }
std::string_view FakeAuth::kind() const noexcept { return "fake"; }

}  // namespace fdk::oci::testing
