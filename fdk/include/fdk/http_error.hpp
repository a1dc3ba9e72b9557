// fdk::HttpError — throw from a handler to answer the gateway caller with an HTTP error.
#pragma once

#include <stdexcept>
#include <string>

#include "fdk/export.hpp"

namespace fdk {

/// Thrown by a handler to give the HTTP-gateway caller a specific status and message.
/// The call still succeeds towards the Fn agent (200): the status travels in
/// `Fn-Http-Status` and the body is the JSON `{"message": "<message>", "call_id": "<id>"}`
/// (`call_id` is the call's `Fn-Call-Id`, left out when the call has none).
///
/// @code
///   if (body.empty()) throw fdk::HttpError(400, "send a JSON body with \"name\"");
/// @endcode
class FDK_API HttpError : public std::runtime_error {
 public:
  HttpError(int status, const std::string& message);
  [[nodiscard]] int status() const noexcept { return status_; }

 private:
  int status_;
};

}  // namespace fdk
