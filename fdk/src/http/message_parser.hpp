// Incremental HTTP/1.1 message parser (llhttp) with size limits. No I/O. The only llhttp
// wrapper: requests for the runtime and the OCI emulator; responses for fdk-oci's client,
// fdk::testing and the local invoker.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "fdk/headers.hpp"

namespace fdk::http {

/// One complete HTTP message as read off a socket.
struct RawMessage {
  std::string method;  ///< requests only
  std::string target;  ///< requests only
  int status = 0;      ///< responses only
  Headers headers;
  std::string body;
  bool keep_alive = true;
  /// The body was larger than the limit: it was read and dropped, `body` is empty.
  bool body_too_large = false;
  std::size_t body_bytes_seen = 0;
};

using RawRequest = RawMessage;
using RawResponse = RawMessage;

struct ParserLimits {
  std::size_t max_header_bytes = 64 * 1024;
  std::size_t max_body_bytes = 6 * 1024 * 1024;
};

/// Feeds bytes in, hands out complete messages one at a time. After a message completes,
/// `feed` stops consuming (so a pipelined next request waits until the current one is
/// answered); call `take_message()` and feed the unconsumed rest again.
class MessageParser {
 public:
  enum class Status {
    need_more,  ///< all bytes consumed, request not complete yet
    complete,   ///< a message is ready: take_message(); unconsumed bytes remain in the input
    error,      ///< malformed or over a limit: error_message() says why; the connection is unusable
  };

  /// `response_to_head`: a response to HEAD has no body, whatever its headers say.
  /// Responses skip interim 1xx answers (100 Continue, 103 Early Hints): only the final
  /// response completes.
  enum class Kind { request, response, response_to_head };

  explicit MessageParser(ParserLimits limits, Kind kind = Kind::request);
  ~MessageParser();
  MessageParser(const MessageParser&) = delete;
  MessageParser& operator=(const MessageParser&) = delete;

  /// Parses as much of `data` as belongs to the current message. `consumed` is set to how
  /// many bytes were used.
  Status feed(std::string_view data, std::size_t& consumed);
  /// The peer closed the connection: a message cut short is an error (a response
  /// delimited by the end of the connection completes here).
  Status finish();
  /// Moves the completed message out and readies the parser for the next one.
  RawMessage take_message();
  /// Gives back a message taken earlier that its user is done with: the next message is
  /// parsed into its header list and body, which keep their storage (a body whose storage is
  /// over 64 KiB is released).
  void reuse(RawMessage&& spent) noexcept;

  [[nodiscard]] const std::string& error_message() const noexcept;
  /// True when the error was the header size limit (vs. malformed bytes).
  [[nodiscard]] bool headers_too_large() const noexcept;
  /// True when bytes of a message have been received but it is not complete yet.
  [[nodiscard]] bool in_progress() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fdk::http
