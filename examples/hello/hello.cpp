#include "hello.hpp"

#include <nlohmann/json.hpp>

fdk::Response hello(fdk::Context&, std::string_view body) {
  auto input = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string name = "World";
  if (input.is_object() && input.contains("name") && input["name"].is_string()) name = input["name"];
  return fdk::Response::json({{"message", "Hello " + name}});
}
