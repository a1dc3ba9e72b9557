// A function source that includes nothing but <fdk/fdk.hpp>, as the docs promise: responses
// built from JSON, typed handlers, config and logging must all compile and work from it.
#include <fdk/fdk.hpp>

namespace {
struct Greeting {
  std::string name;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Greeting, name)
}  // namespace

int main() {
  fdk::Response response = fdk::Response::json({{"ok", true}, {"items", {1, 2}}}, 201);
  if (response.body() != R"({"items":[1,2],"ok":true})" || response.status() != 201) return 1;
  nlohmann::json parsed = nlohmann::json::parse(response.body());
  if (!parsed["ok"].get<bool>()) return 1;
  fdk::Handler typed = fdk::json_handler<Greeting>([](fdk::Context& ctx, const Greeting& in) {
    fdk::Logger(ctx).debug("greeting", {{"name", in.name}});
    return nlohmann::json{{"message", "Hello " + in.name + ctx.config().get_or("SUFFIX", "")}};
  });
  if (!typed) return 1;
  try {
    (void)fdk::Config().require("MISSING");
    return 1;
  } catch (const fdk::ConfigError& error) {
    return error.key() == "MISSING" ? 0 : 1;
  }
}
