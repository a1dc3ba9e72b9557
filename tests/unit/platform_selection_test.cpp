#include <doctest/doctest.h>

#include "platform/selection.hpp"

using fdk::Platform;
using fdk::platform::select_platform;
using fdk::platform::Selection;

namespace {

using Environment = std::map<std::string, std::string, std::less<>>;

Selection selected(Environment environment, std::optional<Platform> requested = {}) {
  auto result = select_platform(fdk::Config(std::move(environment)), requested);
  REQUIRE(std::holds_alternative<Selection>(result));
  return std::get<Selection>(result);
}

std::string refused(Environment environment) {
  auto result = select_platform(fdk::Config(std::move(environment)));
  REQUIRE(std::holds_alternative<std::string>(result));
  return std::get<std::string>(result);
}

// Every host variable at once: each rule must beat all the ones after it.
const Environment kEverything = {
    {"FN_LISTENER", "unix:/tmp/iofs/lsnr.sock"}, {"AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"},
    {"Http_Method", "POST"},  {"mode", "http"}, {"upstream_url", "http://127.0.0.1:3000"}, {"PORT", "8080"},
};

Environment without(Environment environment, std::initializer_list<const char*> names) {
  for (const char* name : names) environment.erase(name);
  return environment;
}

}  // namespace

TEST_CASE("each host variable selects its platform and names itself as the reason") {
  CHECK(selected({{"FN_LISTENER", "unix:/tmp/iofs/lsnr.sock"}}).platform == Platform::fn);
  CHECK(selected({{"FN_LISTENER", "unix:/tmp/iofs/lsnr.sock"}}).reason == "FN_LISTENER=unix:/tmp/iofs/lsnr.sock");
  CHECK(selected({{"AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"}}).platform == Platform::lambda);
  CHECK(selected({{"AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"}}).reason == "AWS_LAMBDA_RUNTIME_API=127.0.0.1:9001");
  CHECK(selected({{"Http_Method", "GET"}}).platform == Platform::stdio);
  CHECK(selected({{"mode", "http"}, {"upstream_url", "http://127.0.0.1:3000"}}).platform == Platform::http);
  CHECK(selected({{"mode", "http"}, {"http_upstream_url", "http://127.0.0.1:3000"}}).platform == Platform::http);
  CHECK(selected({{"PORT", "8080"}}).platform == Platform::http);
  CHECK(selected({{"PORT", "8080"}}).reason == "PORT=8080");
}

TEST_CASE("the rules apply in order: fn, lambda, stdio, upstream_url, PORT") {
  CHECK(selected(kEverything).platform == Platform::fn);
  CHECK(selected(without(kEverything, {"FN_LISTENER"})).platform == Platform::lambda);
  CHECK(selected(without(kEverything, {"FN_LISTENER", "AWS_LAMBDA_RUNTIME_API"})).platform == Platform::stdio);
  auto upstream = selected(without(kEverything, {"FN_LISTENER", "AWS_LAMBDA_RUNTIME_API", "Http_Method"}));
  CHECK(upstream.platform == Platform::http);
  CHECK(upstream.reason == "mode=http, upstream_url=http://127.0.0.1:3000");  // not PORT: the watchdog's own port
}

TEST_CASE("an upstream_url without mode=http does not select http, and PORT still can") {
  CHECK(refused({{"upstream_url", "http://127.0.0.1:3000"}}).find("No platform found") != std::string::npos);
  CHECK(refused({{"mode", "http"}}).find("No platform found") != std::string::npos);
  CHECK(selected({{"mode", "serializing"}, {"upstream_url", "http://127.0.0.1:3000"}, {"PORT", "8080"}}).reason ==
        "PORT=8080");
}

TEST_CASE("an empty variable is the same as an unset one") {
  CHECK(selected({{"FN_LISTENER", ""}, {"AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"}}).platform == Platform::lambda);
  CHECK(refused({{"PORT", ""}, {"FDK_PLATFORM", ""}}).find("No platform found") != std::string::npos);
}

TEST_CASE("FDK_PLATFORM beats every rule, and RunOptions::platform beats detection but not FDK_PLATFORM") {
  auto explicit_choice = selected([] {
    Environment environment = kEverything;
    environment["FDK_PLATFORM"] = "stdio";
    return environment;
  }());
  CHECK(explicit_choice.platform == Platform::stdio);
  CHECK(explicit_choice.reason == "FDK_PLATFORM=stdio");
  CHECK(selected(kEverything, Platform::lambda).platform == Platform::lambda);
  CHECK(selected(kEverything, Platform::lambda).reason == "RunOptions::platform");
  CHECK(selected({{"FDK_PLATFORM", "http"}}, Platform::lambda).platform == Platform::http);
  CHECK(selected({}, Platform::fn).platform == Platform::fn);
}

TEST_CASE("a misspelt FDK_PLATFORM is refused, not ignored") {
  auto problem = refused({{"FDK_PLATFORM", "Lambda"}, {"AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"}});
  CHECK(problem == "FDK_PLATFORM is 'Lambda', but it must be fn, lambda, http or stdio; fix or unset it.");
}

TEST_CASE("nothing set: one sentence naming every variable that would select a platform") {
  std::string problem = refused({{"HOME", "/root"}, {"TERM", "xterm"}});
  for (const char* name : {"FN_LISTENER", "AWS_LAMBDA_RUNTIME_API", "Http_Method", "mode=http", "upstream_url",
                           "http_upstream_url", "PORT", "FDK_PLATFORM"}) {
    CHECK_MESSAGE(problem.find(name) != std::string::npos, name);
  }
  CHECK(problem.find('\n') == std::string::npos);
}

TEST_CASE("the announcement is one line and never quotes an upstream URL's password") {
  auto with_secret = selected({{"mode", "http"}, {"upstream_url", "http://user:hunter2@127.0.0.1:3000"}});
  std::string line = fdk::platform::announcement(with_secret);
  CHECK(line.find("hunter2") == std::string::npos);
  CHECK(line.rfind("fdk-cpp: platform http (mode=http, upstream_url=", 0) == 0);
  CHECK(fdk::platform::announcement(selected({{"AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"}})) ==
        "fdk-cpp: platform lambda (AWS_LAMBDA_RUNTIME_API=127.0.0.1:9001)");
}

TEST_CASE("platform names parse exactly") {
  using fdk::platform::platform_from_name;
  CHECK(platform_from_name("fn") == Platform::fn);
  CHECK(platform_from_name("lambda") == Platform::lambda);
  CHECK(platform_from_name("http") == Platform::http);
  CHECK(platform_from_name("stdio") == Platform::stdio);
  CHECK_FALSE(platform_from_name("FN").has_value());
  CHECK_FALSE(platform_from_name("").has_value());
}
