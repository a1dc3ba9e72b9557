// Refilling a spent Headers in place: the HTTP parser writes each header of the next message
// into the strings of the previous one's, so a connection's steady stream of calls reuses the
// same header storage instead of allocating and freeing it on every call.
#pragma once

#include <cstddef>
#include <string_view>

#include "fdk/headers.hpp"

namespace fdk::detail {

struct HeaderSlots {
  /// Header number `index` becomes (name, value). `index` is at most the number of headers
  /// (then it is appended); an existing entry's strings keep their storage.
  static void put(Headers& headers, std::size_t index, std::string_view name, std::string_view value) {
    auto& entries = headers.entries_;
    if (index < entries.size()) {
      entries[index].first.assign(name);
      entries[index].second.assign(value);
    } else {
      entries.emplace_back(name, value);
    }
  }
  /// Drops the entries from `count` on (what the previous message had beyond this one's).
  static void keep_first(Headers& headers, std::size_t count) {
    auto& entries = headers.entries_;
    if (count < entries.size()) entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(count), entries.end());
  }
};

}  // namespace fdk::detail
