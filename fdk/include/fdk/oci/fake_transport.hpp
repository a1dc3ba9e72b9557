// fdk::oci::testing::FakeTransport — canned OCI answers for unit tests of code that calls OCI,
// with no network, no emulator and no credentials.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fdk/export.hpp"
#include "fdk/oci/auth.hpp"
#include "fdk/oci/transport.hpp"

namespace fdk::oci::testing {

/// Answers requests from routes (method + URL path) and records every request it gets.
/// Unrouted requests get 404 `NotAuthorizedOrNotFound` naming the method and path.
/// Thread-safe; copies of transport() share the routes and the record.
///
/// @code
///   fdk::oci::testing::FakeTransport fake;
///   fake.on("GET", "/20160918/instances/ocid1.instance.oc1..a", {200, R"({"lifecycleState":"STOPPED"})"});
///   fdk::oci::ClientOptions options;
///   options.transport = fake.transport();
///   auto client = std::make_shared<fdk::oci::Client>(std::make_shared<fdk::oci::testing::FakeAuth>(), options);
///   fdk::oci::ComputeClient compute(client);
///   CHECK(compute.get_instance("ocid1.instance.oc1..a").lifecycle_state == "STOPPED");
///   CHECK(fake.requests().size() == 1);
/// @endcode
class FDK_API FakeTransport {
 public:
  FakeTransport();
  ~FakeTransport();
  FakeTransport(const FakeTransport&) = default;
  FakeTransport& operator=(const FakeTransport&) = default;

  /// Answers `method` requests whose URL path (without the query) is `path` — the API version
  /// included, e.g. `/20160918/instances/<id>` — with `response`. A route added again for the
  /// same method and path replaces the earlier one.
  FakeTransport& on(std::string method, std::string path, TransportResponse response);
  /// Answers the same route with each response in turn, then repeats the last one (polling).
  FakeTransport& on_sequence(std::string method, std::string path, std::vector<TransportResponse> responses);

  /// The transport for fdk::oci::ClientOptions::transport (or AuthOptions::transport).
  [[nodiscard]] HttpTransport transport() const;
  /// Every request received so far, oldest first, headers as signed.
  [[nodiscard]] std::vector<TransportRequest> requests() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

/// Credentials that sign nothing, for tests through a FakeTransport: region `us-ashburn-1`
/// unless given, tenancy `ocid1.tenancy.oc1..fake`. It adds an `authorization: fake` header so a
/// test can see that a request went through signing.
class FDK_API FakeAuth : public AuthProvider {
 public:
  explicit FakeAuth(std::string region = "us-ashburn-1");
  void sign(SignableRequest& request) override;
  [[nodiscard]] std::string region() const override;
  [[nodiscard]] std::string tenancy_id() const override;
  bool refresh() override;
  [[nodiscard]] std::string_view kind() const noexcept override;

 private:
  std::string region_;
};

}  // namespace fdk::oci::testing
