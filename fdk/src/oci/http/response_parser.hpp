// Incremental HTTP/1.1 response parsing for the client, on the HTTP module's MessageParser (llhttp).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "fdk/headers.hpp"

namespace fdk::oci::http {

/// A response as read from the wire.
struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;
  /// False when the server asked to close the connection (or the body ran to EOF).
  bool keep_alive = false;
};

class ResponseParser {
 public:
  /// `head_request`: the response to a HEAD request has no body whatever its headers say.
  explicit ResponseParser(bool head_request = false);
  ~ResponseParser();
  ResponseParser(const ResponseParser&) = delete;
  ResponseParser& operator=(const ResponseParser&) = delete;

  /// Feeds bytes; returns true once the response is complete. Throws NetworkError on
  /// malformed input.
  bool feed(std::string_view bytes);
  /// The peer closed the connection: completes a response delimited by EOF, or throws
  /// NetworkError when the response was cut short.
  void finish();
  [[nodiscard]] bool complete() const noexcept;
  [[nodiscard]] bool started() const noexcept;
  /// The parsed response; valid once complete().
  [[nodiscard]] HttpResponse& response() noexcept;

  struct State;

 private:
  std::unique_ptr<State> state_;
};

}  // namespace fdk::oci::http
