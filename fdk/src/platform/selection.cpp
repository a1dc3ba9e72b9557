#include "platform/selection.hpp"

#include "http/url.hpp"

namespace fdk::platform {

namespace {

// The evidence quotes the variable's value; a very long one is cut so the line stays a line.
constexpr std::size_t kLongestQuotedValue = 200;

std::string evidence(std::string_view name, std::string_view value) {
  std::string quoted(value.substr(0, kLongestQuotedValue));
  if (value.size() > kLongestQuotedValue) quoted += "...";
  return std::string(name) + "=" + quoted;
}

// An upstream URL may carry user information, which is a secret: never quote it.
std::optional<std::string> upstream_url(const Config& environment) {
  for (const char* name : {"upstream_url", "http_upstream_url"}) {
    if (auto value = environment.get(name); value && !value->empty()) {
      return evidence(name, http::without_user_info(*value));
    }
  }
  return std::nullopt;
}

// Rules 2 to 6: what the host tells us without being asked.
std::optional<Selection> detect(const Config& environment) {
  struct Rule {
    const char* variable;
    Platform platform;
  };
  for (Rule rule : {Rule{"FN_LISTENER", Platform::fn}, Rule{"AWS_LAMBDA_RUNTIME_API", Platform::lambda},
                    Rule{"Http_Method", Platform::stdio}}) {
    if (auto value = environment.get(rule.variable); value && !value->empty()) {
      return Selection{rule.platform, evidence(rule.variable, *value)};
    }
  }
  if (environment.get_or("mode", "") == "http") {
    if (auto upstream = upstream_url(environment)) return Selection{Platform::http, "mode=http, " + *upstream};
  }
  if (auto port = environment.get("PORT"); port && !port->empty()) {
    return Selection{Platform::http, evidence("PORT", *port)};
  }
  return std::nullopt;
}

}  // namespace

std::optional<Platform> platform_from_name(std::string_view name) {
  for (Platform platform : {Platform::fn, Platform::lambda, Platform::http, Platform::stdio}) {
    if (name == platform_name(platform)) return platform;
  }
  return std::nullopt;
}

std::variant<Selection, std::string> select_platform(const Config& environment, std::optional<Platform> requested) {
  if (auto named = environment.get("FDK_PLATFORM"); named && !named->empty()) {
    if (auto platform = platform_from_name(*named)) return Selection{*platform, evidence("FDK_PLATFORM", *named)};
    return "FDK_PLATFORM is '" + std::string(named->substr(0, kLongestQuotedValue)) +
           "', but it must be fn, lambda, http or stdio; fix or unset it.";
  }
  if (requested) return Selection{*requested, "RunOptions::platform"};
  if (auto detected = detect(environment)) return *detected;
  return std::string(
      "No platform found in the environment: set FN_LISTENER (Fn), AWS_LAMBDA_RUNTIME_API (AWS Lambda), "
      "Http_Method (an OpenFaaS watchdog's stdio child), mode=http with upstream_url or http_upstream_url, "
      "or PORT (an HTTP host), or name one with FDK_PLATFORM=fn|lambda|http|stdio.");
}

std::string announcement(const Selection& selection) {
  return std::string("fdk-cpp: platform ") + platform_name(selection.platform) + " (" + selection.reason + ")";
}

}  // namespace fdk::platform
