#include "runtime/standard_streams.hpp"

#include <ios>
#include <ostream>

// With GCC 12's libstdc++ every file that includes <iostream> holds a static ios_base::Init,
// which at start-up constructs the eight standard streams and the classic locale with all its
// facets: about 320 KiB of resident memory (libstdc++ code and data) in a function that never
// writes to a stream (docs/benchmarks.md, "RSS after load"). So this file declares the two
// streams it needs exactly as <iostream> does, without the ios_base::Init. From GCC 13 on
// libstdc++.so constructs the streams itself, once, and libc++ always did: there <iostream>
// costs nothing and is used as it is.
#if defined(_GLIBCXX_RELEASE) && _GLIBCXX_RELEASE < 13
namespace std {
extern ostream cout;
extern ostream cerr;
}  // namespace std
#else
#include <iostream>
#endif

namespace fdk::runtime {

void flush_standard_streams() noexcept {
  // With libstdc++, called with true it only reports the current state (synchronisation cannot
  // be turned back on); false means the program turned it off, which constructed the streams
  // first. libc++'s streams write through stdio whatever the setting.
  if (std::ios_base::sync_with_stdio(true)) return;
  try {
    std::cout.flush();
    std::cerr.flush();
  } catch (...) {
    // a stream set to throw on failure: the log is gone, the call goes on
  }
}

}  // namespace fdk::runtime
