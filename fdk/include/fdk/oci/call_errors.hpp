// Why an OCI call failed: the service answered with an error, the network failed, or the
// call ran out of time.
#pragma once

#include <stdexcept>
#include <string>

#include "fdk/export.hpp"

namespace fdk::oci {

/// The service answered with an error status; carries what OCI support asks for.
///
/// @code
///   try {
///     compute.get_instance(id, ctx);
///   } catch (const fdk::oci::ServiceError& e) {
///     if (e.status() == 404) return fdk::Response::text("no such instance", 404);
///     std::cerr << e.code() << " " << e.opc_request_id() << "\n";
///     throw;
///   }
/// @endcode
class FDK_API ServiceError : public std::runtime_error {
 public:
  ServiceError(int status, std::string code, std::string message, std::string opc_request_id);
  ~ServiceError() override;
  ServiceError(const ServiceError&) = default;
  ServiceError& operator=(const ServiceError&) = default;

  /// The HTTP status, e.g. 404.
  [[nodiscard]] int status() const noexcept { return status_; }
  /// The OCI error code, e.g. `NotAuthorizedOrNotFound`; empty when the body had none.
  [[nodiscard]] const std::string& code() const noexcept { return code_; }
  /// The service's own message.
  [[nodiscard]] const std::string& message() const noexcept { return message_; }
  /// The `opc-request-id` to quote to OCI support.
  [[nodiscard]] const std::string& opc_request_id() const noexcept { return opc_request_id_; }

 private:
  int status_;
  std::string code_, message_, opc_request_id_;
};

/// The request could not be delivered or its answer not read (connection refused or reset,
/// TLS failure, malformed response, per-attempt timeout).
class FDK_API NetworkError : public std::runtime_error {
 public:
  /// `retryable` is false for failures a retry cannot fix, such as an untrusted certificate.
  NetworkError(const std::string& message, bool retryable);
  ~NetworkError() override;
  NetworkError(const NetworkError&) = default;
  NetworkError& operator=(const NetworkError&) = default;

  [[nodiscard]] bool retryable() const noexcept { return retryable_; }

 private:
  bool retryable_;
};

/// The call's deadline (the function's `Fn-Deadline`, or one given explicitly) passed before an
/// answer came. When only the next retry's pause would pass it, the last ServiceError or
/// NetworkError is thrown instead, so the caller sees what the service said.
class FDK_API DeadlineExceeded : public std::runtime_error {
 public:
  explicit DeadlineExceeded(const std::string& message);
  ~DeadlineExceeded() override;
  DeadlineExceeded(const DeadlineExceeded&) = default;
  DeadlineExceeded& operator=(const DeadlineExceeded&) = default;
};

}  // namespace fdk::oci
