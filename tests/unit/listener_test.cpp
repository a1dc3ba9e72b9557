#include <doctest/doctest.h>

#include "runtime/listener.hpp"

using fdk::runtime::ListenerPaths;
using fdk::runtime::listener_paths_from;

namespace {
std::variant<ListenerPaths, std::string> paths_for(std::map<std::string, std::string, std::less<>> env) {
  return listener_paths_from(fdk::Config(std::move(env)));
}
}  // namespace

TEST_CASE("FN_LISTENER gives the socket and the phony socket beside it") {
  auto result = paths_for({{"FN_LISTENER", "unix:/tmp/iofs/lsnr.sock"}, {"FN_FORMAT", "http-stream"}});
  REQUIRE(std::holds_alternative<ListenerPaths>(result));
  auto paths = std::get<ListenerPaths>(result);
  CHECK(paths.socket_path == "/tmp/iofs/lsnr.sock");
  CHECK(paths.phony_path == "/tmp/iofs/phonylsnr.sock");
  CHECK(paths.phony_name == "phonylsnr.sock");  // relative: the agent rejects a target with a directory
}

TEST_CASE("bad listener settings are explained") {
  auto problem = [](std::map<std::string, std::string, std::less<>> env) {
    auto result = paths_for(std::move(env));
    REQUIRE(std::holds_alternative<std::string>(result));
    return std::get<std::string>(result);
  };
  CHECK(problem({}).find("FN_LISTENER is not set") != std::string::npos);
  CHECK(problem({{"FN_LISTENER", "tcp://0.0.0.0:80"}}).find("must start with 'unix:'") != std::string::npos);
  CHECK(problem({{"FN_LISTENER", "unix:/tmp/dir/"}}).find("directory") != std::string::npos);
  CHECK(problem({{"FN_LISTENER", "unix:/tmp/lsnr.sock"}, {"FN_FORMAT", "json"}}).find("http-stream") !=
        std::string::npos);
}

TEST_CASE("socket paths over 107 bytes fail instead of being truncated") {
  std::string dir = "/tmp/" + std::string(200, 'd');
  auto result = paths_for({{"FN_LISTENER", "unix:" + dir + "/lsnr.sock"}});
  REQUIRE(std::holds_alternative<std::string>(result));
  CHECK(std::get<std::string>(result).find("too long") != std::string::npos);
  // Exactly at the limit is fine: the phony path is the longer one.
  std::string base = "/tmp/";
  std::string fits = base + std::string(fdk::runtime::kMaxSocketPathBytes - base.size() - 15, 'x') + "/lsnr.sock";
  auto ok = paths_for({{"FN_LISTENER", "unix:" + fits}});
  REQUIRE(std::holds_alternative<ListenerPaths>(ok));
  CHECK(std::get<ListenerPaths>(ok).phony_path.size() == fdk::runtime::kMaxSocketPathBytes);
  std::string one_more = base + "y" + fits.substr(base.size());
  CHECK(std::holds_alternative<std::string>(paths_for({{"FN_LISTENER", "unix:" + one_more}})));
}
