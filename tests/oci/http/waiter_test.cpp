// Polling until a lifecycle state, with a fake clock so nothing really sleeps.
#include <doctest/doctest.h>

#include <deque>

#include "fdk/oci/call_errors.hpp"
#include "fdk/oci/waiter.hpp"

using fdk::oci::WaitOutcome;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

struct FakeTime {
  std::chrono::system_clock::time_point now = std::chrono::system_clock::time_point{} + std::chrono::hours(1000);
  std::vector<milliseconds> sleeps;
  fdk::oci::Timing timing() {
    return {[this] { return now; },
            [this](milliseconds d) {
              sleeps.push_back(d);
              now += d;
            }};
  }
};

struct Thing {
  std::string lifecycle_state;
};

// Returns the states in order, then repeats the last one.
auto states(std::deque<std::string> sequence) {
  return [sequence]() mutable {
    Thing thing{sequence.front()};
    if (sequence.size() > 1) sequence.pop_front();
    return thing;
  };
}

}  // namespace

TEST_SUITE("oci") {
  TEST_CASE("reaches the target after polling at the interval") {
    FakeTime time;
    fdk::oci::WaitOptions options;
    options.interval = seconds(10);
    options.timing = time.timing();
    const auto result = fdk::oci::wait_for_state(states({"STOPPED", "STARTING", "STARTING", "RUNNING"}), {"RUNNING"},
                                                 {"TERMINATED"}, options);
    CHECK(result.outcome == WaitOutcome::reached);
    CHECK(result.polls == 4);
    CHECK(result.last.lifecycle_state == "RUNNING");
    CHECK(result.waited == seconds(30));
    CHECK(time.sleeps == std::vector<milliseconds>(3, seconds(10)));
  }

  TEST_CASE("a failure state ends the wait at once") {
    FakeTime time;
    fdk::oci::WaitOptions options;
    options.timing = time.timing();
    const auto result = fdk::oci::wait_for_state(states({"STARTING", "TERMINATED"}), {"RUNNING"}, {"TERMINATED"}, options);
    CHECK(result.outcome == WaitOutcome::failed);
    CHECK(result.polls == 2);
  }

  TEST_CASE("max_wait bounds the wait; the last sleep is shortened to fit") {
    FakeTime time;
    fdk::oci::WaitOptions options;
    options.interval = seconds(15);
    options.max_wait = seconds(40);
    options.timing = time.timing();
    const auto result = fdk::oci::wait_for_state(states({"UPDATING"}), {"INACTIVE"}, {}, options);
    CHECK(result.outcome == WaitOutcome::timed_out);
    CHECK(result.last.lifecycle_state == "UPDATING");
    CHECK(time.sleeps == std::vector<milliseconds>{seconds(15), seconds(15), seconds(10)});
    CHECK(result.polls == 4);
    CHECK(result.waited == seconds(40));
  }

  TEST_CASE("the deadline stops polling before it instead of sleeping into it") {
    FakeTime time;
    fdk::oci::WaitOptions options;
    options.interval = seconds(10);
    options.deadline = time.now + seconds(25);
    options.timing = time.timing();
    const auto result = fdk::oci::wait_for_state(states({"STARTING"}), {"RUNNING"}, {}, options);
    CHECK(result.outcome == WaitOutcome::timed_out);
    CHECK(time.sleeps == std::vector<milliseconds>{seconds(10), seconds(10)});
    CHECK(time.now < *options.deadline);
    CHECK(result.polls == 3);
  }

  TEST_CASE("errors from the poll propagate") {
    FakeTime time;
    fdk::oci::WaitOptions options;
    options.timing = time.timing();
    auto failing = []() -> Thing { throw std::runtime_error("boom"); };
    CHECK_THROWS_WITH(fdk::oci::wait_for_state(failing, {"RUNNING"}, {}, options), "boom");
  }

  TEST_CASE("a poll refused for the deadline after a state is known is a time-out with that state") {
    FakeTime time;
    fdk::oci::WaitOptions options;
    options.interval = seconds(1);
    options.timing = time.timing();
    int polls = 0;
    auto late = [&]() -> Thing {
      if (++polls == 3) throw fdk::oci::DeadlineExceeded("the deadline passed before attempt 1 of GET");
      return Thing{"UPDATING"};
    };
    const auto result = fdk::oci::wait_for_state(late, {"ACTIVE"}, {"FAILED"}, options);
    CHECK(result.outcome == WaitOutcome::timed_out);
    CHECK(result.polls == 3);
    CHECK(result.last.lifecycle_state == "UPDATING");
    CHECK(result.waited == seconds(2));
  }

  TEST_CASE("a first poll refused for the deadline propagates: no state is known") {
    FakeTime time;
    fdk::oci::WaitOptions options;
    options.timing = time.timing();
    auto late = []() -> Thing { throw fdk::oci::DeadlineExceeded("the deadline passed before attempt 1 of GET"); };
    CHECK_THROWS_AS(fdk::oci::wait_for_state(late, {"ACTIVE"}, {}, options), fdk::oci::DeadlineExceeded);
  }

  TEST_CASE("the progress callback hears the first state and every change, not repeats") {
    FakeTime time;
    fdk::oci::WaitOptions options;
    options.interval = milliseconds(100);
    options.timing = time.timing();
    std::vector<std::string> heard;
    options.on_state_change = [&](const std::string& state) { heard.push_back(state); };
    const auto result =
        fdk::oci::wait_for_state(states({"STOPPED", "STARTING", "STARTING", "STARTING", "RUNNING"}), {"RUNNING"}, {}, options);
    CHECK(result.outcome == WaitOutcome::reached);
    CHECK(result.polls == 5);
    CHECK(heard == std::vector<std::string>{"STOPPED", "STARTING", "RUNNING"});
  }

  TEST_CASE("seconds settings: default, fractions, and a message naming the setting") {
    const fdk::Config config({{"A", "0.05"}, {"B", "10"}, {"EMPTY", ""}, {"BAD", "ten"}, {"ZERO", "0"}, {"BIG", "3601"},
                              {"TRAILING", "5s"}});
    CHECK(fdk::oci::seconds_setting(config, "A", 10) == milliseconds(50));
    CHECK(fdk::oci::seconds_setting(config, "B", 1) == milliseconds(10000));
    CHECK(fdk::oci::seconds_setting(config, "EMPTY", 15) == milliseconds(15000));
    CHECK(fdk::oci::seconds_setting(config, "UNSET", 0.25) == milliseconds(250));
    CHECK(fdk::oci::seconds_setting(fdk::Config(std::map<std::string, std::string, std::less<>>{{"TINY", "0.0001"}}), "TINY", 1) == milliseconds(1));
    for (const char* name : {"BAD", "ZERO", "BIG", "TRAILING"}) {
      CAPTURE(name);
      CHECK_THROWS_WITH_AS((void)fdk::oci::seconds_setting(config, name, 1),
                           ("Function config " + std::string(name) + " must be a number of seconds between 0 and 3600, not '" +
                            *config.get(name) + "'.")
                               .c_str(),
                           std::invalid_argument);
    }
    CHECK_THROWS_WITH_AS((void)fdk::oci::seconds_setting(config, "B", 1, 5),
                         "Function config B must be a number of seconds between 0 and 5, not '10'.", std::invalid_argument);
  }

  TEST_CASE("polling stops the answer margin before the call's deadline") {
    const fdk::Context context;
    CHECK(context.deadline() - fdk::oci::stop_polling_at(context) == fdk::oci::kAnswerMargin);
    CHECK(context.deadline() - fdk::oci::stop_polling_at(context, milliseconds(250)) == milliseconds(250));
  }
}
