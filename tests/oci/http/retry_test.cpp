// The OCI SDK retry schedule and which answers are retried.
#include <doctest/doctest.h>

#include "fdk/oci/retry.hpp"

using fdk::oci::is_retryable_status;
using fdk::oci::RetryPolicy;
using std::chrono::milliseconds;

TEST_SUITE("oci") {
  TEST_CASE("backoff doubles from one second plus jitter and is capped at 30 s") {
    RetryPolicy policy;
    CHECK(policy.delay_after(1, 0.0) == milliseconds(1000));
    CHECK(policy.delay_after(2, 0.0) == milliseconds(2000));
    CHECK(policy.delay_after(3, 0.5) == milliseconds(4500));
    CHECK(policy.delay_after(5, 0.25) == milliseconds(16250));
    CHECK(policy.delay_after(6, 0.0) == milliseconds(30000));
    CHECK(policy.delay_after(7, 0.9) == milliseconds(30000));
    CHECK(policy.delay_after(1000, 0.9) == milliseconds(30000));
    policy.max_delay = milliseconds(1500);
    CHECK(policy.delay_after(2, 0.0) == milliseconds(1500));
  }

  TEST_CASE("jitter is injectable and otherwise in [0, 1)") {
    RetryPolicy policy;
    for (int i = 0; i < 100; ++i) {
      const double jitter = policy.draw_jitter();
      CHECK(jitter >= 0.0);
      CHECK(jitter < 1.0);
    }
    policy.jitter = [] { return 0.75; };
    CHECK(policy.draw_jitter() == 0.75);
    CHECK(RetryPolicy::no_retries().max_attempts == 1);
    CHECK(RetryPolicy{}.max_attempts == 8);
  }

  TEST_CASE("retryable answers are those the OCI SDKs retry") {
    for (int status : {429, 500, 502, 503, 504}) CHECK(is_retryable_status(status, ""));
    CHECK(is_retryable_status(409, "IncorrectState"));
    CHECK(is_retryable_status(409, "LockConflict"));
    CHECK_FALSE(is_retryable_status(409, "Conflict"));
    for (int status : {400, 401, 403, 404, 412, 501}) CHECK_FALSE(is_retryable_status(status, "Whatever"));
  }
}
