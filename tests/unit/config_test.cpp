// Config::require: a missing value is a clear error naming the key and how to set it.
#include <doctest/doctest.h>

#include "fdk/fdk.hpp"
#include "fdk/testing.hpp"

using fdk::testing::Call;

namespace {
fdk::Config config_of(std::map<std::string, std::string, std::less<>> values) { return fdk::Config(std::move(values)); }
}  // namespace

TEST_CASE("require returns a set value") {
  CHECK(config_of({{"BUCKET", "photos"}}).require("BUCKET") == "photos");
}

TEST_CASE("require names a missing key and says how to set it") {
  for (const auto& config : {config_of({}), config_of({{"BUCKET", ""}})}) {
    try {
      (void)config.require("BUCKET");
      FAIL("require did not throw");
    } catch (const fdk::ConfigError& error) {
      std::string message = error.what();
      CAPTURE(message);
      CHECK(error.key() == "BUCKET");
      CHECK(message.find("'BUCKET'") != std::string::npos);
      CHECK(message.find("fn config function <app> <function> BUCKET <value>") != std::string::npos);
      CHECK(message.find("fdk-invoke -e BUCKET=") != std::string::npos);
    }
  }
}

TEST_CASE("a handler requiring missing config fails the call with a 502 naming the key") {
  auto handler = [](fdk::Context& ctx, std::string_view) {
    return fdk::Response::text("bucket " + ctx.config().require("BUCKET"));
  };
  auto missing = fdk::testing::invoke(handler, Call{}.with_config("OTHER", "x"));
  CHECK(missing.agent_status == 502);
  std::string message = missing.json()["message"];
  CAPTURE(message);
  CHECK(message.find("'BUCKET'") != std::string::npos);
  CHECK(message.find("optional") == std::string::npos);

  auto present = fdk::testing::invoke(handler, Call{}.with_config("BUCKET", "photos"));
  CHECK(present.agent_status == 200);
  CHECK(present.body == "bucket photos");
}
