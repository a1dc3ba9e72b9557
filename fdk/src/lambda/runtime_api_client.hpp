// A blocking HTTP/1.1 client for the Lambda Runtime API: one kept-alive TCP connection, the
// HTTP module's writer and parser. Used only from the runtime loop's thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "fdk/headers.hpp"
#include "http/message_parser.hpp"
#include "lambda/next_event.hpp"
#include "lambda/runtime_api_address.hpp"

namespace fdk::lambda {

class RuntimeApiClient {
 public:
  explicit RuntimeApiClient(RuntimeApiAddress address);
  ~RuntimeApiClient();
  RuntimeApiClient(const RuntimeApiClient&) = delete;
  RuntimeApiClient& operator=(const RuntimeApiClient&) = delete;

  /// Sends one request and waits for the whole answer, with no timeout: `next` blocks until
  /// an event arrives and Lambda may freeze the process meanwhile. A kept-alive connection
  /// the server has closed is replaced once. Returns the answer, or a sentence saying what failed.
  [[nodiscard]] std::variant<http::RawResponse, std::string> exchange(std::string_view method,
                                                                      const std::string& target,
                                                                      const Headers& headers, std::string_view body);

  [[nodiscard]] const RuntimeApiAddress& address() const noexcept { return address_; }

 private:
  std::string connect_to_api();
  void disconnect() noexcept;
  std::string send_all(std::string_view bytes);
  std::variant<http::RawResponse, std::string> read_answer(std::string_view method, bool& nothing_received);

  RuntimeApiAddress address_;
  int fd_ = -1;
};

}  // namespace fdk::lambda
