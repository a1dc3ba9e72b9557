#include "lambda/invocation_mapping.hpp"

#include <algorithm>
#include <string_view>

namespace fdk::lambda {

namespace {

int memory_mb_of(const Config& environment) {
  std::string text = environment.get_or("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "");
  if (text.empty() || text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoi(text);
}

// `name=value` fields of an X-Ray header, separated by ';'.
std::string xray_field(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    std::string_view field = header.substr(0, header.find(';'));
    header.remove_prefix(std::min(header.size(), field.size() + 1));
    while (!field.empty() && field.front() == ' ') field.remove_prefix(1);
    if (field.size() > name.size() && field.substr(0, name.size()) == name && field[name.size()] == '=') {
      return std::string(field.substr(name.size() + 1));
    }
  }
  return {};
}

FunctionError failure_of(const core::CallResult& result, const std::string& exception_type) {
  std::string message = error_message_of(result.response);
  switch (result.kind) {
    case core::ResultKind::http_error:
      return {std::string(kHttpErrorType), "HttpError", message, result.response.status()};
    case core::ResultKind::deadline_passed:
      return {std::string(kTimeout), "Timeout", message, std::nullopt};
    case core::ResultKind::too_large:
      return {std::string(kRequestTooLarge), "RequestTooLarge", message, std::nullopt};
    case core::ResultKind::bad_request:
      return {std::string(kBadRequest), "BadRequest", message, std::nullopt};
    case core::ResultKind::unavailable:
      return {std::string(kUnavailable), "Unavailable", message, std::nullopt};
    case core::ResultKind::ok:
    case core::ResultKind::handler_failed:
      break;
  }
  return {std::string(kUnhandledException), exception_type.empty() ? "HandlerFailed" : exception_type, message,
          std::nullopt};
}

bool answers_the_caller(core::ResultKind kind, bool http_event) {
  switch (kind) {
    case core::ResultKind::ok:
      return true;
    case core::ResultKind::http_error:
    case core::ResultKind::bad_request:
    case core::ResultKind::too_large:
      return http_event;
    case core::ResultKind::handler_failed:
    case core::ResultKind::deadline_passed:
    case core::ResultKind::unavailable:
      break;
  }
  return false;
}

}  // namespace

core::FunctionIdentity function_identity(std::shared_ptr<const Config> environment) {
  core::FunctionIdentity function;
  function.fn_name = environment->get_or("AWS_LAMBDA_FUNCTION_NAME", "");
  function.memory_mb = memory_mb_of(*environment);
  function.config = std::move(environment);
  return function;
}

TracingContext xray_tracing(const std::string& trace_header, const std::string& service_name) {
  TracingContext tracing;
  if (trace_header.empty()) return tracing;
  tracing.enabled = true;
  tracing.service_name = service_name;
  tracing.trace_id = xray_field(trace_header, "Root");
  tracing.span_id = xray_field(trace_header, "Parent");
  tracing.sampled = xray_field(trace_header, "Sampled") == "1";
  return tracing;
}

core::Invocation invocation_from(NextEvent&& event, const std::optional<HttpEvent>& http,
                                 const core::FunctionIdentity& function,
                                 const PlatformAttributes& process_attributes) {
  core::Invocation invocation;
  invocation.platform = Platform::lambda;
  invocation.call_id = std::move(event.request_id);
  invocation.deadline = event.deadline;
  invocation.function = function;
  invocation.tracing = xray_tracing(event.trace_id, function.fn_name);
  invocation.platform_attributes = process_attributes;
  for (auto& [name, value] : event.attributes) invocation.platform_attributes[name] = std::move(value);
  if (http) {
    invocation.gateway = http->gateway;
    invocation.content_type = http->gateway.headers.get_or("Content-Type", "");
    invocation.body = http->body;
  } else {
    invocation.content_type = event.headers.get_or("Content-Type", "");
    invocation.body = std::move(event.body);
  }
  invocation.headers = std::move(event.headers);
  return invocation;
}

RuntimePost post_for(const std::optional<HttpEvent>& http, const core::CallResult& result,
                     const std::string& exception_type) {
  if (answers_the_caller(result.kind, http.has_value())) return within_size_limit(answer_post(http, result.response));
  return within_size_limit(error_post(failure_of(result, exception_type)));
}

}  // namespace fdk::lambda
