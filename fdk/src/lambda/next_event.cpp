#include "lambda/next_event.hpp"

namespace fdk::lambda {

namespace {

constexpr long long kEarliestPlausibleMs = 1'000'000'000'000LL;  // 2001-09-09
constexpr long long kLatestPlausibleMs = 7'258'118'400'000LL;    // 2200-01-01

}  // namespace

std::optional<SystemTime> deadline_from_epoch_ms(std::string_view text) {
  if (text.empty() || text.size() > 15 || text.find_first_not_of("0123456789") != std::string_view::npos) return {};
  long long ms = 0;
  for (char c : text) ms = ms * 10 + (c - '0');
  if (ms < kEarliestPlausibleMs || ms > kLatestPlausibleMs) return {};
  return SystemTime(std::chrono::milliseconds(ms));
}

std::variant<NextEvent, std::string> read_next_event(http::RawResponse&& response) {
  if (response.status != 200) {
    return "The Runtime API answered " + std::to_string(response.status) +
           " to GET next instead of an event; the runtime cannot continue.";
  }
  NextEvent event;
  event.request_id = response.headers.get_or("Lambda-Runtime-Aws-Request-Id", "");
  if (event.request_id.empty()) {
    return std::string("The Runtime API sent an event without Lambda-Runtime-Aws-Request-Id, so its result "
                       "could not be posted back; the runtime cannot continue.");
  }
  event.deadline = deadline_from_epoch_ms(response.headers.get_or("Lambda-Runtime-Deadline-Ms", ""));
  event.trace_id = response.headers.get_or("Lambda-Runtime-Trace-Id", "");
  struct Attribute {
    const char* header;
    const char* name;
  };
  for (Attribute attribute : {Attribute{"Lambda-Runtime-Invoked-Function-Arn", "invoked_function_arn"},
                              Attribute{"Lambda-Runtime-Client-Context", "client_context"},
                              Attribute{"Lambda-Runtime-Cognito-Identity", "cognito_identity"},
                              Attribute{"Lambda-Runtime-Aws-Tenant-Id", "tenant_id"},
                              Attribute{"Lambda-Runtime-Trace-Id", "trace_id"}}) {
    if (auto value = response.headers.get(attribute.header); value && !value->empty()) {
      event.attributes[attribute.name] = *value;
    }
  }
  event.headers = std::move(response.headers);
  event.body = std::move(response.body);
  if (response.body_too_large) event.oversize_bytes = response.body_bytes_seen;
  return event;
}

PlatformAttributes process_attributes(const Config& environment) {
  PlatformAttributes attributes;
  struct Variable {
    const char* variable;
    const char* name;
  };
  for (Variable variable : {Variable{"AWS_LAMBDA_FUNCTION_VERSION", "function_version"},
                            Variable{"AWS_LAMBDA_LOG_GROUP_NAME", "log_group"},
                            Variable{"AWS_LAMBDA_LOG_STREAM_NAME", "log_stream"}}) {
    if (auto value = environment.get(variable.variable); value && !value->empty()) {
      attributes[variable.name] = *value;
    }
  }
  return attributes;
}

}  // namespace fdk::lambda
