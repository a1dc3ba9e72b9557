#include "lambda/runtime_post.hpp"

#include <nlohmann/json.hpp>

namespace fdk::lambda {

std::string post_target(const RuntimeApiAddress& address, const RuntimePost& post, const std::string& request_id) {
  switch (post.endpoint) {
    case RuntimePost::Endpoint::response:
      return address.response_target(request_id);
    case RuntimePost::Endpoint::error:
      return address.error_target(request_id);
    case RuntimePost::Endpoint::init_error:
      break;
  }
  return address.init_error_target();
}

RuntimePost answer_post(const std::optional<HttpEvent>& request, const Response& response) {
  RuntimePost post;
  if (request) {
    post.headers.add("Content-Type", "application/json");
    post.body = http_event_answer(*request, response);
    return post;
  }
  if (!response.content_type().empty()) post.headers.add("Content-Type", response.content_type());
  post.body = response.body();
  return post;
}

RuntimePost error_post(const FunctionError& error, RuntimePost::Endpoint endpoint) {
  nlohmann::json body = {
      {"errorMessage", error.message}, {"errorType", error.error_type}, {"stackTrace", nlohmann::json::array()}};
  if (error.status) body["statusCode"] = *error.status;
  RuntimePost post;
  post.endpoint = endpoint;
  post.headers.add("Content-Type", "application/json");
  post.headers.add("Lambda-Runtime-Function-Error-Type", error.header_type);
  // Messages may quote bytes that are not UTF-8: replace them rather than fail to report.
  post.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return post;
}

RuntimePost within_size_limit(RuntimePost post) {
  if (post.body.size() <= kMaxResponseBytes) return post;
  std::string message = "The function's response is " + std::to_string(post.body.size()) +
                        " bytes, above Lambda's limit of " + std::to_string(kMaxResponseBytes) +
                        " bytes for a synchronous response; return less data (or a link to it).";
  return error_post({std::string(kResponseTooLarge), "ResponseSizeTooLarge", message, std::nullopt});
}

std::string error_message_of(const Response& response) {
  auto body = nlohmann::json::parse(response.body(), nullptr, false);
  if (body.is_object()) {
    if (auto it = body.find("message"); it != body.end() && it->is_string()) return it->get<std::string>();
  }
  return response.body();
}

}  // namespace fdk::lambda
