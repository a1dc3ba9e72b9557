// The hello function: answers {"message": "Hello <name>"}.
#pragma once

#include <string_view>

#include <fdk/fdk.hpp>

/// Reads an optional JSON body {"name": "..."}; anything else greets the World.
fdk::Response hello(fdk::Context& ctx, std::string_view body);
