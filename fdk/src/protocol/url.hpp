// The gateway's request URL is split by the HTTP module (see http/url.hpp).
#pragma once

#include "http/url.hpp"

namespace fdk::protocol {

using http::parse_query;
using http::percent_decode;
using http::url_path;
using http::url_query;

}  // namespace fdk::protocol
