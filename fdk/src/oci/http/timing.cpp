#include "fdk/oci/timing.hpp"

#include <thread>

namespace fdk::oci {

std::chrono::system_clock::time_point Timing::current() const {
  return now ? now() : std::chrono::system_clock::now();
}

void Timing::pause(std::chrono::milliseconds duration) const {
  if (duration.count() <= 0) return;
  if (sleep) {
    sleep(duration);
  } else {
    std::this_thread::sleep_for(duration);
  }
}

}  // namespace fdk::oci
