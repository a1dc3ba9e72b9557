#include "fdk/headers.hpp"

#include <algorithm>

namespace fdk {

namespace {
char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// iequals itself is exported, and so a call the compiler may not inline (it could be
// interposed): the searches below call this one, which compares most names by size alone.
bool same_name(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  // Senders mostly spell a name as it is registered: a plain comparison settles those at once.
  if (a == b) return true;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept { return same_name(a, b); }

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
  auto matches = [name](const Entry& e) { return same_name(e.first, name); };
  auto first_removed = std::remove_if(entries_.begin(), entries_.end(), matches);
  auto removed = static_cast<std::size_t>(entries_.end() - first_removed);
  entries_.erase(first_removed, entries_.end());
  return removed;
}

const std::string* Headers::find(std::string_view name) const noexcept {
  for (const auto& [key, value] : entries_) {
    if (same_name(key, name)) return &value;
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
    if (same_name(key, name)) values.push_back(value);
  }
  return values;
}

bool Headers::contains(std::string_view name) const { return find(name) != nullptr; }

}  // namespace fdk
