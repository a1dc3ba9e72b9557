#include "canned_routes.hpp"

#include <stdexcept>

namespace oci_emulator {
namespace {

[[noreturn]] void reject(const nlohmann::json& entry, const std::string& why) {
  throw std::invalid_argument("routes entry " + entry.dump() + ": " + why);
}

Reply reply_of(const nlohmann::json& entry) {
  Reply reply;
  reply.status = entry.value("status", 200);
  if (reply.status < 200 || reply.status > 599) reject(entry, "'status' must be from 200 to 599");
  if (entry.contains("body")) {
    const auto& body = entry["body"];
    reply.body = body.is_string() ? body.get<std::string>() : body.dump();
    reply.headers.set("Content-Type", "application/json");
  }
  if (entry.contains("headers")) {
    if (!entry["headers"].is_object()) reject(entry, "'headers' must be an object of strings");
    for (const auto& [name, value] : entry["headers"].items()) {
      if (!value.is_string()) reject(entry, "header '" + name + "' must be a string");
      reply.headers.set(name, value.get<std::string>());
    }
  }
  return reply;
}

}  // namespace

void CannedRoutes::load(const nlohmann::json& list) {
  if (!list.is_array()) throw std::invalid_argument("routes must be a JSON array of {method, path, status, body}");
  for (const auto& entry : list) {
    if (!entry.is_object() || !entry.contains("path") || !entry["path"].is_string()) {
      reject(entry, "needs a string 'path' such as \"/n/ns/b/bucket/o\"");
    }
    const std::string path = entry["path"].get<std::string>();
    if (path.empty() || path.front() != '/' || path.find('?') != std::string::npos) {
      reject(entry, "'path' must start with '/' and have no query");
    }
    const std::string method = entry.value("method", "GET");
    routes_[{method, path}] = reply_of(entry);
  }
}

std::optional<Reply> CannedRoutes::find(const std::string& method, const std::string& path) const {
  const auto found = routes_.find({method, path});
  if (found == routes_.end()) return std::nullopt;
  return found->second;
}

nlohmann::json CannedRoutes::to_json() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [route, reply] : routes_) list.push_back(route.first + " " + route.second);
  return list;
}

}  // namespace oci_emulator
