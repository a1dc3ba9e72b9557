#include "fault_plan.hpp"

#include <stdexcept>

namespace oci_emulator {

std::string default_error_code(int status) {
  switch (status) {
    case 400: return "InvalidParameter";
    case 401: return "NotAuthenticated";
    case 404: return "NotAuthorizedOrNotFound";
    case 409: return "IncorrectState";
    case 429: return "TooManyRequests";
    case 500: return "InternalServerError";
    case 501: return "MethodNotImplemented";
    case 502: return "BadGateway";
    case 503: return "ServiceUnavailable";
    case 504: return "GatewayTimeout";
    default: return "Error";
  }
}

Fault Fault::from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("a fault must be a JSON object");
  Fault fault;
  fault.method = json.value("method", "");
  fault.path = json.value("path", "");
  fault.remaining = json.value("count", 1);
  fault.status = json.value("status", 0);
  fault.code = json.value("code", "");
  fault.reset = json.value("reset", false);
  fault.delay = std::chrono::milliseconds(json.value("delay_ms", 0));
  if (fault.remaining < 1) throw std::invalid_argument("fault 'count' must be at least 1");
  if (fault.status != 0 && (fault.status < 400 || fault.status > 599)) {
    throw std::invalid_argument("fault 'status' must be an error status from 400 to 599");
  }
  if (fault.status == 0 && !fault.reset && fault.delay.count() == 0) {
    throw std::invalid_argument("a fault needs 'status', 'reset': true or 'delay_ms'");
  }
  if (fault.status != 0 && fault.code.empty()) fault.code = default_error_code(fault.status);
  return fault;
}

nlohmann::json Fault::to_json() const {
  return {{"method", method}, {"path", path},   {"count", remaining},
          {"status", status}, {"code", code},   {"reset", reset},
          {"delay_ms", delay.count()}};
}

std::optional<Fault> FaultPlan::take(const std::string& method, const std::string& path) {
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (!it->method.empty() && it->method != method) continue;
    if (path.compare(0, it->path.size(), it->path) != 0) continue;
    Fault applied = *it;
    if (--it->remaining == 0) faults_.erase(it);
    return applied;
  }
  return std::nullopt;
}

nlohmann::json FaultPlan::to_json() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& fault : faults_) list.push_back(fault.to_json());
  return list;
}

}  // namespace oci_emulator
