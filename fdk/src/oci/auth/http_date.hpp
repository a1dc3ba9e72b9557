// The `date` and `x-date` headers are IMF-fixdate, read and written by the HTTP module
// (see http/date.hpp).
#pragma once

#include "http/date.hpp"

namespace fdk::oci::detail {

using fdk::http::format_http_date;
using fdk::http::parse_http_date;

}  // namespace fdk::oci::detail
