// The container's memory limit on HTTP hosts and stdio: the cgroup file's text, then the files.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "httphost/request_mapping.hpp"
#include "httphost/stdio_mapping.hpp"
#include "platform/memory_limit.hpp"

using fdk::platform::memory_limit_mb;
using fdk::platform::read_memory_limit_mb;
namespace fs = std::filesystem;

TEST_CASE("memory_limit_mb reads a byte count in MiB, and 0 when there is no limit") {
  CHECK(memory_limit_mb("536870912\n") == 512);
  CHECK(memory_limit_mb("2147483648") == 2048);
  CHECK(memory_limit_mb("134217727\n") == 127);  // rounded down
  CHECK(memory_limit_mb("max\n") == 0);          // cgroup v2: no limit
  CHECK(memory_limit_mb("9223372036854771712\n") == 0);  // cgroup v1: no limit
  CHECK(memory_limit_mb("1048575") == 0);        // below one MiB
  CHECK(memory_limit_mb("") == 0);
  CHECK(memory_limit_mb("12ab") == 0);
  CHECK(memory_limit_mb("-1") == 0);
  CHECK(memory_limit_mb("99999999999999999999") == 0);  // over 2^64
}

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "fdk-cgroup.XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& text) const {
    fs::create_directories((path / name).parent_path());
    std::ofstream(path / name) << text;
  }
};

}  // namespace

TEST_CASE("read_memory_limit_mb prefers cgroup v2's memory.max, then v1's memory.limit_in_bytes") {
  TempDir none;
  CHECK(read_memory_limit_mb(none.path.string()) == 0);

  TempDir v1;
  v1.write("memory/memory.limit_in_bytes", "268435456\n");
  CHECK(read_memory_limit_mb(v1.path.string()) == 256);

  TempDir v2;
  v2.write("memory.max", "1073741824\n");
  v2.write("memory/memory.limit_in_bytes", "268435456\n");
  CHECK(read_memory_limit_mb(v2.path.string()) == 1024);

  TempDir unlimited;
  unlimited.write("memory.max", "max\n");
  CHECK(read_memory_limit_mb(unlimited.path.string()) == 0);
}

TEST_CASE("HTTP hosts and stdio give the handler the memory limit read at start") {
  auto env = fdk::protocol::FunctionEnvironment::from_config(std::make_shared<const fdk::Config>());
  env.function.memory_mb = 512;
  fdk::protocol::RawRequest request;
  request.method = "GET";
  request.target = "/";
  auto host = std::get<fdk::httphost::HostEnvironment>(fdk::httphost::HostEnvironment::from_config(fdk::Config()));
  auto accepted = fdk::httphost::accept_http_request(std::move(request), host, env, {}, std::chrono::system_clock::now());
  REQUIRE(std::holds_alternative<fdk::protocol::PreparedCall>(accepted));
  CHECK(std::get<fdk::protocol::PreparedCall>(accepted).context.memory_mb() == 512);

  fdk::Config watchdog(std::map<std::string, std::string, std::less<>>{{"Http_Method", "GET"}});
  auto call = fdk::httphost::stdio_call(watchdog, env, std::nullopt, "", std::chrono::system_clock::now());
  CHECK(call.context.memory_mb() == 512);
}
