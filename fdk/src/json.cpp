#include "fdk/json.hpp"

namespace fdk::detail {

nlohmann::json parse_json_body(std::string_view body) {
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& error) {
    if (body.empty()) throw HttpError(400, "The request body is empty; this function expects a JSON document.");
    throw HttpError(400, std::string("The request body is not valid JSON: ") + error.what());
  }
}

void throw_body_shape_error(const nlohmann::json::exception& error) {
  throw HttpError(400, std::string("The request body is JSON but does not have the expected shape: ") +
                           error.what());
}

}  // namespace fdk::detail
