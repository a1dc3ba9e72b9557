// libFuzzer target for what an OCI service answers: the bytes on the wire through fdk-oci's
// ResponseParser (in two pieces, at a position taken from the input), then the parsed answer
// through Client::call (error mapping, retries) and the typed results. Every failure must be
// one of fdk-oci's documented exceptions; anything else escaping (a JSON library exception, a
// crash) is a bug.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "fdk/oci/client.hpp"
#include "fdk/oci/compute.hpp"
#include "fdk/oci/container_instances.hpp"
#include "fdk/oci/fake_transport.hpp"
#include "fdk/oci/secrets.hpp"
#include "oci/http/response_parser.hpp"

namespace {

constexpr std::size_t kMaxBodyBytes = 4096;

// The answer as the HTTP client would return it, or nothing when the bytes are refused.
std::unique_ptr<fdk::oci::http::HttpResponse> parse_wire(std::string_view wire, bool head, std::size_t split) {
  fdk::oci::http::ResponseParser parser(head, kMaxBodyBytes);
  try {
    const std::size_t first = std::min(split, wire.size());
    if (!parser.feed(wire.substr(0, first)) && !parser.feed(wire.substr(first))) parser.finish();
  } catch (const fdk::oci::NetworkError&) {
    return nullptr;
  }
  if (!parser.complete()) std::abort();  // finish() either completes or throws
  const auto& response = parser.response();
  if (response.body.size() > kMaxBodyBytes || (head && !response.body.empty())) std::abort();
  return std::make_unique<fdk::oci::http::HttpResponse>(std::move(parser.response()));
}

// Client::call over a transport that gives this answer to every attempt.
void call_with(const fdk::oci::http::HttpResponse& answer) {
  fdk::oci::ClientOptions options;
  options.config = fdk::Config();
  options.retry.max_attempts = 2;
  options.timing.sleep = [](std::chrono::milliseconds) {};
  options.transport = [&answer](const fdk::oci::TransportRequest&) {
    return fdk::oci::TransportResponse{answer.status, answer.body, answer.headers};
  };
  fdk::oci::Client client(std::make_shared<fdk::oci::testing::FakeAuth>(), options);
  fdk::oci::ServiceRequest request;
  request.endpoint = "https://iaas.us-ashburn-1.oraclecloud.com/20160918";
  request.path = "/instances/ocid1.instance.oc1..a";
  try {
    const fdk::oci::ServiceResponse response = client.call(request);
    if (response.status < 200 || response.status > 299) std::abort();
    (void)response.json();
  } catch (const fdk::oci::ServiceError& error) {
    if (error.status() >= 200 && error.status() <= 299) std::abort();
  } catch (const fdk::oci::NetworkError&) {
  }
}

void map_body(const std::string& body) {
  try {
    (void)fdk::oci::Instance::from_json_text(body);
    (void)fdk::oci::ContainerInstance::from_json_text(body);
  } catch (const std::invalid_argument&) {
  }
  try {
    (void)fdk::oci::SecretBundle::from_json_text(body);
  } catch (const std::invalid_argument&) {
  }
}

}  // namespace

// Input: one byte of flags (bit 0: the request was HEAD), one byte for where the wire is split,
// then the response bytes.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const bool head = (data[0] & 1) != 0;
  const std::string_view wire(reinterpret_cast<const char*>(data) + 2, size - 2);
  const auto response = parse_wire(wire, head, data[1]);
  if (!response) return 0;
  call_with(*response);
  map_body(response->body);
  return 0;
}
