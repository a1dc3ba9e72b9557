// The http-gateway example: reads the caller's method, URL, query and headers, and answers
// with its own status, headers and two cookies.
#pragma once

#include <string_view>

#include <fdk/fdk.hpp>

/// GET echoes what the gateway saw as JSON; POST/PUT store nothing but answer 201 with a
/// Location header; any other method is 405. Every answer sets two cookies.
fdk::Response gateway(fdk::Context& ctx, std::string_view body);
