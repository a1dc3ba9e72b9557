#include "lambda/runtime_api_address.hpp"

#include <stdexcept>

#include "http/url.hpp"

namespace fdk::lambda {

namespace {

constexpr std::string_view kApiVersion = "/2018-06-01";

// A request id is put in a path: anything but unreserved characters is escaped, so an odd id
// cannot change which path is posted to.
std::string invocation_path(const RuntimeApiAddress& address, std::string_view request_id, std::string_view call) {
  return address.prefix + std::string(kApiVersion) + "/runtime/invocation/" + http::percent_encode(request_id) + "/" +
         std::string(call);
}

}  // namespace

std::string RuntimeApiAddress::next_target() const {
  return prefix + std::string(kApiVersion) + "/runtime/invocation/next";
}

std::string RuntimeApiAddress::response_target(std::string_view request_id) const {
  return invocation_path(*this, request_id, "response");
}

std::string RuntimeApiAddress::error_target(std::string_view request_id) const {
  return invocation_path(*this, request_id, "error");
}

std::string RuntimeApiAddress::init_error_target() const {
  return prefix + std::string(kApiVersion) + "/runtime/init/error";
}

std::variant<RuntimeApiAddress, std::string> parse_runtime_api_address(std::string_view value) {
  std::string problem = "AWS_LAMBDA_RUNTIME_API is '" + http::without_user_info(value) +
                        "', but it must be host:port, optionally followed by a path (as Lambda sets it)";
  if (value.empty() || value.find("://") != std::string_view::npos) return problem + ".";
  try {
    http::Url url = http::parse_url("http://" + std::string(value));
    if (url.target.find_first_of("?#") != std::string::npos) return problem + ", without a query.";
    RuntimeApiAddress address;
    address.host = url.host;
    address.port = url.port;
    address.authority = url.authority();
    address.prefix = url.target;
    while (!address.prefix.empty() && address.prefix.back() == '/') address.prefix.pop_back();
    return address;
  } catch (const std::invalid_argument& error) {
    return problem + " (" + error.what() + ").";
  }
}

}  // namespace fdk::lambda
