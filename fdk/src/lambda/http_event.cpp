#include "lambda/http_event.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "encoding/base64.hpp"
#include "encoding/utf8.hpp"
#include "http/status_text.hpp"
#include "http/url.hpp"

namespace fdk::lambda {

namespace {

using nlohmann::json;

std::string string_at(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json* object_at(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_object() ? &*it : nullptr;
}

std::optional<EventShape> shape_of(const json& event) {
  if (!event.is_object()) return std::nullopt;
  const json* context = object_at(event, "requestContext");
  if (string_at(event, "version") == "2.0" && context && object_at(*context, "http")) return EventShape::api_gateway_v2;
  if (!string_at(event, "httpMethod").empty()) {
    return context && object_at(*context, "elb") ? EventShape::alb : EventShape::api_gateway_v1;
  }
  return std::nullopt;
}

// `headers` (one string each) or `multiValueHeaders` (arrays), whichever the event has.
void add_headers(const json& event, HttpEvent& out) {
  if (const json* multi = object_at(event, "multiValueHeaders")) {
    out.multi_value_headers = true;
    for (const auto& [name, values] : multi->items()) {
      if (!values.is_array()) continue;
      for (const auto& value : values) {
        if (value.is_string()) out.gateway.headers.add(name, value.get<std::string>());
      }
    }
    return;
  }
  if (const json* single = object_at(event, "headers")) {
    for (const auto& [name, value] : single->items()) {
      if (value.is_string()) out.gateway.headers.add(name, value.get<std::string>());
    }
  }
}

// REST events carry decoded query values, which must be encoded again; ALB passes them as
// the caller sent them.
std::string rebuilt_query(const json& event, bool encode) {
  std::string query;
  auto append = [&](const std::string& name, const std::string& value) {
    if (!query.empty()) query += '&';
    query += encode ? http::percent_encode(name) : name;
    query += '=';
    query += encode ? http::percent_encode(value) : value;
  };
  if (const json* multi = object_at(event, "multiValueQueryStringParameters")) {
    for (const auto& [name, values] : multi->items()) {
      if (!values.is_array()) continue;
      for (const auto& value : values) {
        if (value.is_string()) append(name, value.get<std::string>());
      }
    }
  } else if (const json* single = object_at(event, "queryStringParameters")) {
    for (const auto& [name, value] : single->items()) {
      if (value.is_string()) append(name, value.get<std::string>());
    }
  }
  return query;
}

// API Gateway, function URLs and ALB all take HTTPS (an ALB may take plain HTTP, which it says
// in X-Forwarded-Proto).
void set_url(GatewayRequest& gateway, std::string_view raw_path, std::string query, std::string_view domain) {
  gateway.host = gateway.headers.get_or("Host", std::string(domain));
  gateway.scheme = gateway.headers.get_or("X-Forwarded-Proto", "https");
  std::string url = gateway.host.empty() ? std::string() : gateway.scheme + "://" + gateway.host;
  url += raw_path.empty() ? "/" : raw_path;
  if (!query.empty()) url.append("?").append(query);
  gateway.request_url = std::move(url);
  gateway.query = http::parse_query(query);
  gateway.raw_query = std::move(query);
}

void fill(const json& event, HttpEvent& out) {
  const json* context = object_at(event, "requestContext");
  std::string path, query, domain = context ? string_at(*context, "domainName") : std::string();
  add_headers(event, out);
  if (out.shape == EventShape::api_gateway_v2) {
    out.gateway.method = string_at(context->at("http"), "method");
    path = string_at(event, "rawPath");
    query = string_at(event, "rawQueryString");
    // 2.0 moves the caller's cookies out of the headers into an array.
    if (auto it = event.find("cookies"); it != event.end() && it->is_array() && !it->empty()) {
      std::string joined;
      for (const auto& cookie : *it) {
        if (!cookie.is_string()) continue;
        if (!joined.empty()) joined += "; ";
        joined += cookie.get<std::string>();
      }
      out.gateway.headers.set("Cookie", joined);
    }
  } else {
    out.gateway.method = string_at(event, "httpMethod");
    path = string_at(event, "path");
    query = rebuilt_query(event, out.shape == EventShape::api_gateway_v1);
  }
  set_url(out.gateway, path, std::move(query), domain);
  out.gateway.path = path.empty() ? "/" : path;

  std::string body = string_at(event, "body");
  auto flag = event.find("isBase64Encoded");
  if (flag != event.end() && flag->is_boolean() && flag->get<bool>()) {
    auto decoded = encoding::base64_decode(body);
    if (!decoded) {
      out.problem = "The event is marked isBase64Encoded, but its body is not valid base64.";
      return;
    }
    body = std::move(*decoded);
  }
  out.body = std::move(body);
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Every header the caller gets, Content-Type first, in the handler's order.
Headers answer_headers(const Response& response) {
  Headers headers;
  if (!response.content_type().empty()) headers.add("Content-Type", response.content_type());
  for (const auto& [name, value] : response.headers()) {
    if (!iequals(name, "Content-Type") || response.content_type().empty()) headers.add(name, value);
  }
  return headers;
}

json joined_headers(const Headers& headers, bool skip_cookies) {
  json out = json::object();
  for (const auto& [name, value] : headers) {
    if (skip_cookies && iequals(name, "Set-Cookie")) continue;
    std::string key = lower(name);
    if (out.contains(key) && key != "set-cookie") {  // cookies cannot be comma-joined: the last one stays
      out[key] = out[key].get<std::string>() + ", " + value;
    } else {
      out[key] = value;
    }
  }
  return out;
}

json multi_value_headers(const Headers& headers) {
  json out = json::object();
  for (const auto& [name, value] : headers) out[lower(name)].push_back(value);
  return out;
}

}  // namespace

std::optional<HttpEvent> read_http_event(std::string_view event_json) {
  json event = json::parse(event_json, nullptr, false);
  if (event.is_discarded()) return std::nullopt;
  auto shape = shape_of(event);
  if (!shape) return std::nullopt;
  HttpEvent out;
  out.shape = *shape;
  fill(event, out);
  return out;
}

bool is_text_content_type(std::string_view content_type) {
  std::string type = lower(content_type.substr(0, content_type.find(';')));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  auto ends_with = [&](std::string_view suffix) {
    return type.size() >= suffix.size() && type.compare(type.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return type.rfind("text/", 0) == 0 || type == "application/json" || type == "application/xml" ||
         type == "application/javascript" || type == "application/x-www-form-urlencoded" || ends_with("+json") ||
         ends_with("+xml");
}

std::string http_event_answer(const HttpEvent& request, const Response& response) {
  json answer = {{"statusCode", response.status()}};
  Headers headers = answer_headers(response);
  if (request.shape == EventShape::api_gateway_v2) {
    answer["headers"] = joined_headers(headers, true);
    answer["cookies"] = headers.get_all("Set-Cookie");
  } else if (request.multi_value_headers) {
    answer["multiValueHeaders"] = multi_value_headers(headers);
  } else {
    answer["headers"] = joined_headers(headers, false);
  }
  if (request.shape == EventShape::alb) {
    answer["statusDescription"] =
        std::to_string(response.status()) + " " + std::string(http::status_text(response.status()));
  }
  const std::string& body = response.body();
  bool as_text = encoding::is_valid_utf8(body) &&
                 (response.content_type().empty() || is_text_content_type(response.content_type()));
  answer["body"] = as_text ? body : encoding::base64_encode(body);
  answer["isBase64Encoded"] = !as_text;
  return answer.dump();
}

}  // namespace fdk::lambda
