#include "fdk/http_error.hpp"

namespace fdk {

HttpError::HttpError(int status, const std::string& message) : std::runtime_error(message), status_(status) {}

}  // namespace fdk
