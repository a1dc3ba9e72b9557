// fdk::oci::Clock — the wall clock credentials read; injectable so tests control time.
#pragma once

#include <chrono>
#include <functional>

namespace fdk::oci {

/// Returns "now". An empty Clock means std::chrono::system_clock::now.
using Clock = std::function<std::chrono::system_clock::time_point()>;

}  // namespace fdk::oci
