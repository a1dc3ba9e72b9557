// Faults injected on demand: "the next N requests matching X get 503 / a reset / a delay".
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace oci_emulator {

struct Fault {
  std::string method;  ///< empty: any method
  std::string path;    ///< path prefix; empty: every service path (control paths never match)
  int remaining = 1;   ///< how many more requests it applies to
  int status = 0;      ///< answer with this status (0: do not replace the answer)
  std::string code;    ///< OCI error code for `status`; a default per status when empty
  bool reset = false;  ///< drop the connection with a TCP reset instead of answering
  std::chrono::milliseconds delay{0};  ///< wait this long first

  /// From `{"method": "GET", "path": "/20160918/instances/", "count": 2, "status": 503}`
  /// (or `"reset": true`, `"delay_ms": 1500`); throws std::invalid_argument naming the problem.
  [[nodiscard]] static Fault from_json(const nlohmann::json& json);
  [[nodiscard]] nlohmann::json to_json() const;
};

/// The default OCI error code for an error status, e.g. 503 → ServiceUnavailable.
[[nodiscard]] std::string default_error_code(int status);

/// Faults in the order they were added; the first matching one with uses left applies.
class FaultPlan {
 public:
  void add(Fault fault) { faults_.push_back(std::move(fault)); }
  void clear() { faults_.clear(); }
  /// The fault for this request, consuming one use of it.
  std::optional<Fault> take(const std::string& method, const std::string& path);
  [[nodiscard]] nlohmann::json to_json() const;

 private:
  std::vector<Fault> faults_;
};

}  // namespace oci_emulator
