#include "fdk/oci/call_errors.hpp"

namespace fdk::oci {
namespace {

std::string describe(int status, const std::string& code, const std::string& message, const std::string& request_id) {
  std::string text = "OCI service error " + std::to_string(status);
  if (!code.empty()) text += " " + code;
  if (!message.empty()) text += ": " + message;
  if (!request_id.empty()) text += " (opc-request-id " + request_id + ")";
  return text;
}

}  // namespace

ServiceError::ServiceError(int status, std::string code, std::string message, std::string opc_request_id)
    : std::runtime_error(describe(status, code, message, opc_request_id)),
      status_(status),
      code_(std::move(code)),
      message_(std::move(message)),
      opc_request_id_(std::move(opc_request_id)) {}
ServiceError::~ServiceError() = default;

NetworkError::NetworkError(const std::string& message, bool retryable)
    : std::runtime_error(message), retryable_(retryable) {}
NetworkError::~NetworkError() = default;

DeadlineExceeded::DeadlineExceeded(const std::string& message) : std::runtime_error(message) {}
DeadlineExceeded::~DeadlineExceeded() = default;

}  // namespace fdk::oci
