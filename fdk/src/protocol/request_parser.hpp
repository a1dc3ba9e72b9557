// Incremental HTTP/1.1 request parser (llhttp) with the FDK's size limits. No I/O.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "fdk/headers.hpp"

namespace fdk::protocol {

/// One complete request as read off the socket.
struct RawRequest {
  std::string method;
  std::string target;
  Headers headers;
  std::string body;
  bool keep_alive = true;
  /// The body was larger than the limit: it was read and dropped, `body` is empty.
  bool body_too_large = false;
  std::size_t body_bytes_seen = 0;
};

struct ParserLimits {
  std::size_t max_header_bytes = 64 * 1024;
  std::size_t max_body_bytes = 6 * 1024 * 1024;
};

/// Feeds bytes in, hands out complete requests one at a time. After a request completes,
/// `feed` stops consuming (so a pipelined next request waits until the current one is
/// answered); call `take_request()` and feed the unconsumed rest again.
class RequestParser {
 public:
  enum class Status {
    need_more,  ///< all bytes consumed, request not complete yet
    complete,   ///< a request is ready: take_request(); unconsumed bytes remain in the input
    error,      ///< malformed or over a limit: error_message() says why; the connection is unusable
  };

  explicit RequestParser(ParserLimits limits);
  ~RequestParser();
  RequestParser(const RequestParser&) = delete;
  RequestParser& operator=(const RequestParser&) = delete;

  /// Parses as much of `data` as belongs to the current request. `consumed` is set to how
  /// many bytes were used.
  Status feed(std::string_view data, std::size_t& consumed);
  /// The peer closed the connection: a request cut short is an error.
  Status finish();
  /// Moves the completed request out and readies the parser for the next one.
  RawRequest take_request();

  [[nodiscard]] const std::string& error_message() const noexcept;
  /// True when the error was the header size limit (vs. malformed bytes).
  [[nodiscard]] bool headers_too_large() const noexcept;
  /// True when bytes of a request have been received but it is not complete yet.
  [[nodiscard]] bool in_progress() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fdk::protocol
