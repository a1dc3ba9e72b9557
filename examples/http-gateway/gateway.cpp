#include "gateway.hpp"

#include <nlohmann/json.hpp>

namespace {

nlohmann::json describe_request(const fdk::GatewayRequest& request) {
  nlohmann::json query = nlohmann::json::object();
  for (const auto& [name, value] : request.query) query[name].push_back(value);
  nlohmann::json headers = nlohmann::json::object();
  for (const auto& [name, value] : request.headers) headers[name].push_back(value);
  return {{"method", request.method}, {"url", request.request_url}, {"path", request.path},
          {"query", query}, {"headers", headers}};
}

fdk::Response with_cookies(fdk::Response response, const std::string& visit) {
  return std::move(response)
      .add_header("Set-Cookie", "visit=" + visit + "; Path=/; HttpOnly")
      .add_header("Set-Cookie", "theme=dark; Path=/");
}

}  // namespace

fdk::Response gateway(fdk::Context& ctx, std::string_view body) {
  if (!ctx.is_gateway()) {
    throw fdk::HttpError(400, "Call this function through an HTTP trigger: it reads the gateway request.");
  }
  const fdk::GatewayRequest& request = ctx.gateway();
  std::string visit = ctx.call_id().empty() ? "anonymous" : ctx.call_id();
  if (request.method == "GET" || request.method == "HEAD") {
    return with_cookies(fdk::Response::json(describe_request(request)), visit);
  }
  if (request.method == "POST" || request.method == "PUT") {
    nlohmann::json created = {{"received_bytes", body.size()}, {"name", request.query_value("name", "item")}};
    return with_cookies(fdk::Response::json(created, 201).set_header("Location", request.path + "/" + visit), visit);
  }
  return with_cookies(fdk::Response::json({{"message", "Method " + request.method + " is not allowed."}}, 405)
                          .set_header("Allow", "GET, HEAD, POST, PUT"),
                      visit);
}
