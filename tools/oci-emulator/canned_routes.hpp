// Canned answers for OCI calls the emulator does not implement: a route is a method and a path
// with the status, headers and body to answer. Configured with --routes FILE.json or the
// "routes" entry of a state document (see README.md).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "http_server.hpp"

namespace oci_emulator {

class CannedRoutes {
 public:
  /// Adds the routes of `list` (a JSON array of {"method", "path", "status", "body", "headers"});
  /// `body` is sent as is when it is a string, as JSON text otherwise. A route given again
  /// replaces the earlier one. Throws std::invalid_argument naming the bad entry.
  void load(const nlohmann::json& list);
  /// The answer for `method` and `path` (without query), if a route matches.
  [[nodiscard]] std::optional<Reply> find(const std::string& method, const std::string& path) const;
  /// The routes as `METHOD path` strings, for GET /_emulator/state.
  [[nodiscard]] nlohmann::json to_json() const;

 private:
  std::map<std::pair<std::string, std::string>, Reply> routes_;
};

}  // namespace oci_emulator
