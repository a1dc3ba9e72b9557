// Cost of signing one OCI request with an RSA-2048 key: the first sign (OpenSSL start-up and
// PEM parse included, as a function's first call pays) and the median of later signs.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fdk/oci/signer.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double microseconds_since(Clock::time_point start) {
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

fdk::oci::SignableRequest sample_request() {
  return {"POST", "iaas.us-ashburn-1.oraclecloud.com", "/20160918/instances/ocid1.instance.oc1.iad.x?action=START",
          {}, ""};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <rsa-2048-private-key.pem> [iterations]\n", argv[0]);
    return 2;
  }
  const int iterations = argc > 2 ? std::max(1, std::atoi(argv[2])) : 500;
  std::ifstream file(argv[1]);
  std::stringstream pem;
  pem << file.rdbuf();

  const auto construct_start = Clock::now();
  fdk::oci::RequestSigner signer("ST$benchmark-token", pem.str(), std::nullopt, argv[1]);
  const double construct_us = microseconds_since(construct_start);

  auto request = sample_request();
  const auto first_start = Clock::now();
  signer.sign(request);
  const double first_us = microseconds_since(first_start);

  std::vector<double> samples;
  samples.reserve(static_cast<std::size_t>(iterations));
  for (int i = 0; i < iterations; ++i) {
    request = sample_request();
    const auto start = Clock::now();
    signer.sign(request);
    samples.push_back(microseconds_since(start));
  }
  std::sort(samples.begin(), samples.end());
  const double median_us = samples[samples.size() / 2];
  std::printf("signer construction: %.1f us (no work: key parsed lazily)\n", construct_us);
  std::printf("first sign (OpenSSL init + PEM parse + sign): %.1f us\n", first_us);
  std::printf("median sign over %d: %.1f us  (%.0f signs/s; p90 %.1f us)\n", iterations, median_us, 1e6 / median_us,
              samples[samples.size() * 9 / 10]);
  return 0;
}
