// fdk::testing on AWS Lambda: the `next` answer the Runtime API would give (with the event an
// AWS service sends for an HTTP request), served through lambda/invocation_flow.hpp, and the
// post the runtime would make read back into the caller's view.
#include <nlohmann/json.hpp>

#include "encoding/base64.hpp"
#include "encoding/utf8.hpp"
#include "http/url.hpp"
#include "lambda/invocation_flow.hpp"
#include "runtime/log.hpp"
#include "testing/platform_calls.hpp"

namespace fdk::testing::detail {

namespace {

using nlohmann::json;

constexpr const char* kTestTargetGroup = "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/test/0";

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// `a=1&b` split as sent, without decoding (ALB passes query values that way).
std::vector<std::pair<std::string, std::string>> raw_query_pairs(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!query.empty()) {
    std::string_view field = query.substr(0, query.find('&'));
    query.remove_prefix(std::min(query.size(), field.size() + 1));
    if (field.empty()) continue;
    auto equals = field.find('=');
    pairs.emplace_back(std::string(field.substr(0, equals)),
                       equals == std::string_view::npos ? std::string() : std::string(field.substr(equals + 1)));
  }
  return pairs;
}

// Headers as one string each: lower-case names (HTTP API, ALB) or as sent (REST), repeated
// values comma-joined.
json single_value_headers(const Headers& headers, bool lower_case, bool skip_cookie) {
  json out = json::object();
  for (const auto& [name, value] : headers) {
    if (skip_cookie && iequals(name, "Cookie")) continue;
    std::string key = lower_case ? lower(name) : name;
    out[key] = out.contains(key) ? out[key].get<std::string>() + "," + value : value;
  }
  return out;
}

json multi_value_headers(const Headers& headers) {
  json out = json::object();
  for (const auto& [name, value] : headers) out[name].push_back(value);
  return out;
}

// The body as the services carry it: bytes that are not UTF-8 base64-encoded.
void add_body(json& event, const std::string& body, bool null_when_empty) {
  bool binary = !encoding::is_valid_utf8(body);
  if (body.empty() && null_when_empty) {
    event["body"] = nullptr;
  } else {
    event["body"] = binary ? encoding::base64_encode(body) : body;
  }
  event["isBase64Encoded"] = binary;
}

json http_api_event(const Call& call, const CallerRequest& request) {
  json event = {{"version", "2.0"},
                {"routeKey", "$default"},
                {"rawPath", request.path},
                {"rawQueryString", request.raw_query}};
  // Payload 2.0 moves the caller's cookies out of the headers into an array.
  if (auto cookie = request.headers.get("Cookie")) {
    json cookies = json::array();
    std::string_view rest = *cookie;
    while (!rest.empty()) {
      std::string_view one = rest.substr(0, rest.find(';'));
      rest.remove_prefix(std::min(rest.size(), one.size() + 1));
      while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
      if (!one.empty()) cookies.push_back(std::string(one));
    }
    event["cookies"] = cookies;
  }
  event["headers"] = single_value_headers(request.headers, true, true);
  json query = json::object();
  for (const auto& [name, value] : http::parse_query(request.raw_query)) {
    query[name] = query.contains(name) ? query[name].get<std::string>() + "," + value : value;
  }
  if (!query.empty()) event["queryStringParameters"] = query;
  event["requestContext"] = {{"domainName", request.authority},
                             {"requestId", call.call_id},
                             {"routeKey", "$default"},
                             {"stage", "$default"},
                             {"http",
                              {{"method", request.method},
                               {"path", request.path},
                               {"protocol", "HTTP/1.1"},
                               {"sourceIp", "127.0.0.1"},
                               {"userAgent", request.headers.get_or("User-Agent", "")}}}};
  add_body(event, call.body, false);
  return event;
}

json rest_api_event(const Call& call, const CallerRequest& request) {
  json event = {{"resource", "/{proxy+}"}, {"path", request.path}, {"httpMethod", request.method}};
  event["headers"] = single_value_headers(request.headers, false, false);
  event["multiValueHeaders"] = multi_value_headers(request.headers);
  // REST APIs pass query values decoded; the last of a repeated name in the single-value map.
  json single = json::object(), multi = json::object();
  for (const auto& [name, value] : http::parse_query(request.raw_query)) {
    single[name] = value;
    multi[name].push_back(value);
  }
  event["queryStringParameters"] = single.empty() ? json(nullptr) : single;
  event["multiValueQueryStringParameters"] = multi.empty() ? json(nullptr) : multi;
  event["requestContext"] = {{"domainName", request.authority},
                             {"httpMethod", request.method},
                             {"path", request.path},
                             {"requestId", call.call_id},
                             {"stage", "test"}};
  add_body(event, call.body, true);
  return event;
}

json alb_event(const Call& call, const CallerRequest& request) {
  json event = {{"requestContext", {{"elb", {{"targetGroupArn", kTestTargetGroup}}}}},
                {"httpMethod", request.method},
                {"path", request.path}};
  json query = json::object();
  for (const auto& [name, value] : raw_query_pairs(request.raw_query)) query[name] = value;
  event["queryStringParameters"] = query;
  event["headers"] = single_value_headers(request.headers, true, false);
  add_body(event, call.body, false);
  return event;
}

// The `next` answer: the request id, the deadline in epoch milliseconds, the event.
http::RawResponse next_answer(const Call& call, lambda::SystemTime now) {
  http::RawResponse next;
  next.status = 200;
  auto deadline = std::chrono::duration_cast<std::chrono::milliseconds>((now + call.timeout).time_since_epoch());
  next.headers.add("Lambda-Runtime-Aws-Request-Id", call.call_id);
  next.headers.add("Lambda-Runtime-Deadline-Ms", std::to_string(deadline.count()));
  next.headers.add("Content-Type", call.lambda_event == LambdaEvent::raw && !call.content_type.empty()
                                       ? call.content_type
                                       : std::string("application/json"));
  if (call.lambda_event == LambdaEvent::raw) {
    for (const auto& [name, value] : call.headers) next.headers.set(name, value);
  }
  next.body = lambda_event_json(call);
  // The runtime's client reads no more than this; the event then reaches the flow as oversize.
  if (next.body.size() > lambda::kMaxEventBytes) {
    next.body_too_large = true;
    next.body_bytes_seen = next.body.size();
    next.body.clear();
  }
  return next;
}

// The answer JSON of an HTTP event, as API Gateway or the ALB reads it.
void read_http_answer(const std::string& answer_json, Result& result) {
  json answer = json::parse(answer_json);
  result.status = answer.value("statusCode", 0);
  if (auto it = answer.find("multiValueHeaders"); it != answer.end() && it->is_object()) {
    for (const auto& [name, values] : it->items()) {
      for (const auto& value : values) result.headers.add(name, value.get<std::string>());
    }
  }
  if (auto it = answer.find("headers"); it != answer.end() && it->is_object()) {
    for (const auto& [name, value] : it->items()) result.headers.add(name, value.get<std::string>());
  }
  if (auto it = answer.find("cookies"); it != answer.end() && it->is_array()) {
    for (const auto& cookie : *it) result.headers.add("Set-Cookie", cookie.get<std::string>());
  }
  result.content_type = result.headers.get_or("Content-Type", "");
  std::string body = answer.value("body", "");
  if (answer.value("isBase64Encoded", false)) {
    auto decoded = encoding::base64_decode(body);
    if (!decoded) throw std::logic_error("fdk::testing: the FDK posted an answer whose body is not base64.");
    body = std::move(*decoded);
  }
  result.body = std::move(body);
}

Result read_post(const std::string& request_id, const lambda::AcceptedInvocation& invocation,
                 const std::optional<lambda::RuntimePost>& post) {
  Result result;
  result.platform = Platform::lambda;
  if (!post) return result;  // nothing posted: Lambda reports the timeout itself
  result.wire = post->body;
  result.wire_headers = post->headers;
  result.runtime_api_path = lambda::post_target(lambda::RuntimeApiAddress{}, *post, request_id);
  if (post->endpoint == lambda::RuntimePost::Endpoint::response && invocation.http) {
    read_http_answer(post->body, result);
    return result;
  }
  if (post->endpoint == lambda::RuntimePost::Endpoint::response) result.status = 200;
  result.content_type = post->headers.get_or("Content-Type", "");
  result.body = post->body;
  return result;
}

}  // namespace

std::string lambda_event_json(const Call& call) {
  if (call.lambda_event == LambdaEvent::raw) return call.body;
  CallerRequest request = caller_request(call);
  if (!request.scheme.empty() && !request.headers.contains("X-Forwarded-Proto")) {
    request.headers.add("X-Forwarded-Proto", request.scheme);
  }
  switch (call.lambda_event) {
    case LambdaEvent::api_gateway_v2:
      return http_api_event(call, request).dump();
    case LambdaEvent::api_gateway_v1:
      return rest_api_event(call, request).dump();
    case LambdaEvent::alb:
      return alb_event(call, request).dump();
    case LambdaEvent::raw:
      break;
  }
  return call.body;
}

Result invoke_lambda(const Handler& handler, const Call& call) {
  auto now = std::chrono::system_clock::now();
  auto setup = lambda::InvocationSetup::from_environment(config_for(call), call.options.deadline_margin);
  auto event = lambda::read_next_event(next_answer(call, now));
  if (auto* problem = std::get_if<std::string>(&event)) throw std::invalid_argument("fdk::testing: " + *problem);
  std::string request_id = std::get<lambda::NextEvent>(event).request_id;  // a header may have replaced call_id
  lambda::AcceptedInvocation invocation = lambda::accept_invocation(std::get<lambda::NextEvent>(std::move(event)), setup);
  if (!invocation.log_line.empty()) runtime::write_stderr_line(invocation.log_line);
  if (invocation.answer) return read_post(request_id, invocation, invocation.answer);
  auto exception_type = std::make_shared<std::string>();
  core::CallResult result =
      run_until_deadline(lambda::noting_exception_type(handler, exception_type), invocation.call);
  if (!result.log_line.empty()) runtime::write_stderr_line(result.log_line);
  return read_post(request_id, invocation, lambda::post_after(invocation, result, *exception_type));
}

}  // namespace fdk::testing::detail
