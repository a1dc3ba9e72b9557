#include "fdk/headers.hpp"

#include <algorithm>

#include "ascii.hpp"

namespace fdk {

bool iequals(std::string_view a, std::string_view b) noexcept { return detail::ascii_iequals(a, b); }

Headers::Headers(std::initializer_list<Entry> entries) : entries_(entries) {}

Headers& Headers::add(std::string name, std::string value) {
  entries_.emplace_back(std::move(name), std::move(value));
  return *this;
}

Headers& Headers::set(std::string name, std::string value) {
  remove(name);
  return add(std::move(name), std::move(value));
}

std::size_t Headers::remove(std::string_view name) {
  auto matches = [name](const Entry& e) { return detail::ascii_iequals(e.first, name); };
  auto first_removed = std::remove_if(entries_.begin(), entries_.end(), matches);
  auto removed = static_cast<std::size_t>(entries_.end() - first_removed);
  entries_.erase(first_removed, entries_.end());
  return removed;
}

const std::string* Headers::find(std::string_view name) const noexcept {
  for (const auto& [key, value] : entries_) {
    if (detail::ascii_iequals(key, name)) return &value;
  }
  return nullptr;
}

std::optional<std::string> Headers::get(std::string_view name) const {
  if (const std::string* value = find(name)) return *value;
  return std::nullopt;
}

std::string Headers::get_or(std::string_view name, std::string_view fallback) const {
  const std::string* value = find(name);
  return value ? *value : std::string(fallback);
}

std::vector<std::string> Headers::get_all(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [key, value] : entries_) {
    if (detail::ascii_iequals(key, name)) values.push_back(value);
  }
  return values;
}

bool Headers::contains(std::string_view name) const { return find(name) != nullptr; }

}  // namespace fdk
