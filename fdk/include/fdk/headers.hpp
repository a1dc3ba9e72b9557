// fdk::Headers — an ordered, case-insensitive, multi-valued header list.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fdk/export.hpp"

namespace fdk {

namespace detail {
struct HeaderSlots;
}

/// An ordered list of (name, value) pairs where names compare case-insensitively
/// and a name may repeat (two `Set-Cookie` headers stay two headers).
///
/// @code
///   fdk::Headers h;
///   h.add("Set-Cookie", "a=1").add("Set-Cookie", "b=2");
///   h.get("set-cookie");      // "a=1" (the first value)
///   h.get_all("SET-COOKIE");  // {"a=1", "b=2"}
/// @endcode
class FDK_API Headers {
 public:
  using Entry = std::pair<std::string, std::string>;
  using const_iterator = std::vector<Entry>::const_iterator;

  Headers() = default;
  Headers(std::initializer_list<Entry> entries);

  /// Appends a value, keeping any existing values of the same name.
  Headers& add(std::string name, std::string value);
  /// Replaces every value of `name` with this single value.
  Headers& set(std::string name, std::string value);
  /// Removes every value of `name`; returns how many were removed.
  std::size_t remove(std::string_view name);

  /// Makes room for `count` headers, so that adding that many allocates once.
  void reserve(std::size_t count) { entries_.reserve(count); }

  /// The first value of `name`, or nothing when absent.
  [[nodiscard]] std::optional<std::string> get(std::string_view name) const;
  /// The first value of `name` without copying it (valid until the headers change), or
  /// nullptr when absent.
  [[nodiscard]] const std::string* find(std::string_view name) const noexcept;
  /// The first value of `name`, or `fallback` when absent.
  [[nodiscard]] std::string get_or(std::string_view name, std::string_view fallback) const;
  /// Every value of `name`, in the order they were added.
  [[nodiscard]] std::vector<std::string> get_all(std::string_view name) const;
  [[nodiscard]] bool contains(std::string_view name) const;

  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }
  [[nodiscard]] bool empty() const noexcept { return entries_.empty(); }
  [[nodiscard]] const_iterator begin() const noexcept { return entries_.begin(); }
  [[nodiscard]] const_iterator end() const noexcept { return entries_.end(); }
  [[nodiscard]] const std::vector<Entry>& entries() const noexcept { return entries_; }

 private:
  friend struct detail::HeaderSlots;
  std::vector<Entry> entries_;
};

/// ASCII case-insensitive equality, as HTTP header names compare.
[[nodiscard]] FDK_API bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace fdk
