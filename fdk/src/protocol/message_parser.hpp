// The runtime reads requests with the HTTP module's parser (see http/message_parser.hpp).
#pragma once

#include "http/message_parser.hpp"

namespace fdk::protocol {

using http::MessageParser;
using http::ParserLimits;
using http::RawMessage;
using http::RawRequest;
using http::RawResponse;

}  // namespace fdk::protocol
