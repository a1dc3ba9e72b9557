// libFuzzer target for the HTTP/1.1 response parser (fdk-oci's client, fdk::testing, the
// invoker): any bytes, fed in two pieces at a position taken from the input, end in a
// response, a request for more, or an error; never a crash, and never an interim 1xx answer.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/message_parser.hpp"

using fdk::http::MessageParser;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const bool head = (data[0] & 1) != 0;
  const std::size_t split = data[1] % (size - 1);
  const std::string_view wire(reinterpret_cast<const char*>(data) + 2, size - 2);
  MessageParser parser(fdk::http::ParserLimits{4096, 4096},
                       head ? MessageParser::Kind::response_to_head : MessageParser::Kind::response);
  std::string_view rest = wire;
  std::size_t piece = std::min(split, rest.size());
  for (int round = 0; round < 64 && !rest.empty(); ++round) {
    std::size_t consumed = 0;
    const auto status = parser.feed(rest.substr(0, piece), consumed);
    if (consumed > piece) std::abort();
    if (status == MessageParser::Status::error) return 0;
    if (status == MessageParser::Status::complete) {
      const fdk::http::RawMessage response = parser.take_message();
      if (response.status >= 100 && response.status < 200 && response.status != 101) std::abort();
      if (response.body.size() > 4096 || (head && !response.body.empty())) std::abort();
    }
    rest.remove_prefix(consumed);
    piece = rest.size();
  }
  if (parser.finish() == MessageParser::Status::complete) {
    const fdk::http::RawMessage response = parser.take_message();
    if (response.status >= 100 && response.status < 200 && response.status != 101) std::abort();
  }
  return 0;
}
