// The OCI client's URLs are parsed by the HTTP module (see http/url.hpp).
#pragma once

#include "http/url.hpp"

namespace fdk::oci::http {

using fdk::http::is_ip_literal;
using fdk::http::parse_url;
using fdk::http::Url;

}  // namespace fdk::oci::http
