// fdk::Logger: JSON lines on stderr carrying the call id, filtered by FDK_LOG_LEVEL.
#include <doctest/doctest.h>

#include <sstream>
#include <thread>
#include <vector>

#include "fdk/fdk.hpp"
#include "fdk/testing.hpp"
#include "log_record.hpp"
#include "stderr_capture.hpp"

using fdk::test::capture_stderr;
using fdk::testing::Call;

namespace {
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The log lines a handler writes during one call (the runtime writes none for a 200).
std::vector<std::string> logged_by(const fdk::Handler& handler, const Call& call) {
  return lines_of(capture_stderr([&] {
    auto result = fdk::testing::invoke(handler, call);
    CHECK(result.agent_status == 200);
  }));
}
}  // namespace

TEST_CASE("a call's logger writes one JSON line: time, level, call id, message, fields") {
  auto lines = logged_by(
      [](fdk::Context& ctx, std::string_view) {
        fdk::Logger log(ctx);
        log.info("order accepted", {{"order", "A1"}, {"quantity", 2}});
        return fdk::Response::text("ok");
      },
      Call{}.with_call_id("01LOGCALL"));
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].rfind(R"({"time":")", 0) == 0);  // when first, for people reading the raw log
  auto record = nlohmann::json::parse(lines[0]);
  CHECK(record["level"] == "info");
  CHECK(record["call_id"] == "01LOGCALL");
  CHECK(record["message"] == "order accepted");
  CHECK(record["fields"] == nlohmann::json{{"order", "A1"}, {"quantity", 2}});
  CHECK(record["time"].get<std::string>().size() == std::string("2026-11-30T03:31:52.123Z").size());
  CHECK(record.size() == 5);  // nothing else: no headers, no config
}

TEST_CASE("each level has its name; no fields means no fields key") {
  auto lines = logged_by(
      [](fdk::Context& ctx, std::string_view) {
        fdk::Logger log(ctx);
        log.debug("d");
        log.info("i");
        log.warning("w");
        log.error("e");
        return fdk::Response::text("ok");
      },
      Call{}.with_config("FDK_LOG_LEVEL", "debug"));
  REQUIRE(lines.size() == 4);
  std::vector<std::string> levels;
  for (const auto& line : lines) {
    auto record = nlohmann::json::parse(line);
    levels.push_back(record["level"]);
    CHECK_FALSE(record.contains("fields"));
  }
  CHECK(levels == std::vector<std::string>{"debug", "info", "warning", "error"});
}

TEST_CASE("FDK_LOG_LEVEL from the function's config sets the threshold; debug is off by default") {
  auto write_all_levels = [](fdk::Context& ctx, std::string_view) {
    fdk::Logger log(ctx);
    log.debug("d");
    log.info("i");
    log.warning("w");
    log.error("e");
    return fdk::Response::text(log.enabled(fdk::LogLevel::debug) ? "debug on" : "debug off");
  };
  CHECK(logged_by(write_all_levels, Call{}).size() == 3);
  CHECK(logged_by(write_all_levels, Call{}.with_config("FDK_LOG_LEVEL", "WARNING")).size() == 2);
  CHECK(logged_by(write_all_levels, Call{}.with_config("FDK_LOG_LEVEL", "warn")).size() == 2);
  CHECK(logged_by(write_all_levels, Call{}.with_config("FDK_LOG_LEVEL", "error")).size() == 1);
  CHECK(logged_by(write_all_levels, Call{}.with_config("FDK_LOG_LEVEL", "verbose-typo")).size() == 3);
}

TEST_CASE("text that is not UTF-8 is logged with replacement characters, never thrown") {
  std::string bad = "caf\xc3 \xff\xfe";
  std::string line;
  CHECK_NOTHROW(line = fdk::detail::format_log_record(std::chrono::system_clock::now(), fdk::LogLevel::warning, "c\xff",
                                                     bad, {{"path" + bad, bad}}));
  auto record = nlohmann::json::parse(line);  // valid JSON, valid UTF-8
  CHECK(record["message"].get<std::string>().find("\xef\xbf\xbd") != std::string::npos);
  CHECK(record["call_id"] == "c\xef\xbf\xbd");
}

TEST_CASE("a logger outside a call has no call id") {
  auto lines = lines_of(capture_stderr([] { fdk::Logger{}.error("cannot reach the database", {{"attempt", 3}}); }));
  REQUIRE(lines.size() == 1);
  auto record = nlohmann::json::parse(lines[0]);
  CHECK_FALSE(record.contains("call_id"));
  CHECK(record["fields"]["attempt"] == 3);
}

TEST_CASE("records from concurrent threads stay whole lines") {
  constexpr int kThreads = 6;
  constexpr int kRecords = 200;
  std::string big(3000, 'x');
  auto text = capture_stderr([&] {
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        fdk::Logger log;
        for (int i = 0; i < kRecords; ++i) log.info(big, {{"thread", t}, {"i", i}});
      });
    }
    for (auto& thread : threads) thread.join();
  });
  auto lines = lines_of(text);
  CHECK(lines.size() == kThreads * kRecords);
  int whole = 0;
  for (const auto& line : lines) whole += nlohmann::json::accept(line) ? 1 : 0;
  CHECK(whole == kThreads * kRecords);
}

TEST_CASE("the runtime's own messages use the same record format") {
  auto lines = lines_of(capture_stderr([] {
    auto result = fdk::testing::invoke(
        [](fdk::Context&, std::string_view) -> fdk::Response { throw std::runtime_error("boom"); },
        Call{}.with_call_id("01SAME"));
    CHECK(result.agent_status == 502);
  }));
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].rfind(R"({"time":")", 0) == 0);
  auto record = nlohmann::json::parse(lines[0]);
  CHECK(record["level"] == "error");
  CHECK(record["call_id"] == "01SAME");
}
