// Test support shared by the HTTP-client tests: a short deadline and client settings that
// trust the test CA and see no environment (so no proxy variable of the machine leaks in).
#pragma once

#include <chrono>
#include <optional>
#include <utility>

#include "oci/http/http_client.hpp"

namespace oci_e2e {

inline std::chrono::steady_clock::time_point soon() {
  return std::chrono::steady_clock::now() + std::chrono::seconds(5);
}

inline fdk::oci::http::HttpClientSettings trusting_test_ca(
    fdk::oci::http::EnvLookup env = [](const char*) { return std::nullopt; }) {
  fdk::oci::http::HttpClientSettings settings;
  settings.trust.extra_ca_file = OCI_TEST_CA;
  settings.env = std::move(env);
  return settings;
}

}  // namespace oci_e2e
