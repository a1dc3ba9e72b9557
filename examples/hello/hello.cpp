#include "hello.hpp"

#include <nlohmann/json.hpp>

fdk::Response hello(fdk::Context&, std::string_view body) {
  auto input = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string name = "World";
  // One look-up: find() gives end() for anything but an object.
  auto field = input.find("name");
  if (field != input.end() && field->is_string()) name = field->get_ref<const std::string&>();
  return fdk::Response::json({{"message", "Hello " + name}});
}
