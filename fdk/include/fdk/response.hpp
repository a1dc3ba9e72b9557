// fdk::Response — what a handler returns.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "fdk/export.hpp"
#include "fdk/headers.hpp"

namespace fdk {

/// A handler's answer: body, content type, headers and the status the HTTP-gateway
/// caller sees. Towards the Fn agent the FDK always answers 200 and carries the status
/// in `Fn-Http-Status` and each header as `Fn-Http-H-<Name>`, as the contract requires.
///
/// @code
///   return fdk::Response::text("hello\n");
///   return fdk::Response::json({{"ok", true}}, 201).add_header("Set-Cookie", "a=1");
/// @endcode
class FDK_API Response {
 public:
  Response() = default;

  /// A `text/plain; charset=utf-8` response.
  [[nodiscard]] static Response text(std::string body, int status = 200);
  /// An `application/json` response holding `value` serialised, as `value.dump()` writes it
  /// (inline: the library's exported symbols carry no nlohmann type).
  [[nodiscard]] FDK_HIDDEN_INLINE static Response json(const nlohmann::json& value, int status = 200) {
    return empty(status).set_body(value.dump()).set_content_type("application/json");
  }
  /// A response with no body (status 204 unless told otherwise).
  [[nodiscard]] static Response empty(int status = 204);

  Response& set_status(int status) &;
  Response&& set_status(int status) &&;
  Response& set_body(std::string body) &;
  Response&& set_body(std::string body) &&;
  Response& set_content_type(std::string content_type) &;
  Response&& set_content_type(std::string content_type) &&;
  /// Adds a header for the caller, keeping earlier values of the same name.
  Response& add_header(std::string name, std::string value) &;
  Response&& add_header(std::string name, std::string value) &&;
  /// Sets a header for the caller, replacing earlier values of the same name.
  Response& set_header(std::string name, std::string value) &;
  Response&& set_header(std::string name, std::string value) &&;

  /// The status the HTTP-gateway caller sees (default 200).
  [[nodiscard]] int status() const noexcept { return status_; }
  [[nodiscard]] const std::string& body() const noexcept { return body_; }
  /// Empty means "not set": no Content-Type header is sent.
  [[nodiscard]] const std::string& content_type() const noexcept { return content_type_; }
  [[nodiscard]] const Headers& headers() const noexcept { return headers_; }

 private:
  int status_ = 200;
  std::string body_;
  std::string content_type_;
  Headers headers_;
};

}  // namespace fdk
