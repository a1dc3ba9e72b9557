// The Lambda runtime loop and its Runtime API client against a Runtime API written here, over
// real TCP on 127.0.0.1: the paths under a prefix, what is posted, a closed keep-alive
// connection, /init/error, and stopping when `next` is not an event.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "http/message_parser.hpp"
#include "http/message_writer.hpp"
#include "lambda/runtime_loop.hpp"

using namespace fdk::lambda;

namespace {

// Answers each request with what `answer` returns for it, closing the connection after an
// answer when `close_after` says so. Serves until `stop_after` requests were answered.
class FakeRuntimeApi {
 public:
  struct Answer {
    int status = 202;
    fdk::Headers headers;
    std::string body;
    bool close_after = false;
  };
  using Script = std::function<Answer(const fdk::http::RawRequest&)>;

  FakeRuntimeApi(std::size_t stop_after, Script script) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    port_ = ntohs(address.sin_port);
    REQUIRE(::listen(listener_, 4) == 0);
    thread_ = std::thread([this, stop_after, script] { serve(stop_after, script); });
  }
  ~FakeRuntimeApi() {
    thread_.join();
    ::close(listener_);
  }
  int port() const { return port_; }
  std::vector<fdk::http::RawRequest> requests;
  int connections = 0;

 private:
  void serve(std::size_t stop_after, const Script& script) {
    while (requests.size() < stop_after) {
      int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      ++connections;
      fdk::http::MessageParser parser({64 * 1024, 8 * 1024 * 1024});
      char buffer[65536];
      bool open = true;
      while (open && requests.size() < stop_after) {
        ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) break;
        std::string_view data(buffer, static_cast<std::size_t>(n));
        while (!data.empty() && open) {
          std::size_t used = 0;
          auto status = parser.feed(data, used);
          data.remove_prefix(used);
          if (status != fdk::http::MessageParser::Status::complete) break;
          requests.push_back(parser.take_message());
          Answer answer = script(requests.back());
          std::string wire;
          fdk::http::write_status_line(wire, answer.status);
          fdk::http::write_headers(wire, answer.headers);
          fdk::http::write_header(wire, "Content-Length", std::to_string(answer.body.size()));
          fdk::http::end_head(wire);
          wire += answer.body;
          REQUIRE(::send(fd, wire.data(), wire.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(wire.size()));
          open = !answer.close_after;
        }
      }
      ::close(fd);
    }
  }

  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
};

RuntimeApiAddress address_of(const std::string& text) {
  return std::get<RuntimeApiAddress>(parse_runtime_api_address(text));
}

}  // namespace

TEST_CASE("the loop gets events under the address's prefix, posts results, and stops when next fails") {
  int nexts = 0;
  FakeRuntimeApi api(5, [&nexts](const fdk::http::RawRequest& request) {
    FakeRuntimeApi::Answer answer;
    if (request.method == "GET") {
      if (++nexts == 3) return FakeRuntimeApi::Answer{500, {}, "gone", false};
      answer.status = 200;
      answer.headers = {{"Lambda-Runtime-Aws-Request-Id", "req-" + std::to_string(nexts)},
                        {"Lambda-Runtime-Deadline-Ms", "4102444800000"}};
      answer.body = R"({"n":)" + std::to_string(nexts) + "}";
      answer.close_after = nexts == 1;  // the client must open a new connection for what follows
    }
    return answer;
  });
  // As @architect/sandbox sets it: localhost and a path prefix.
  RuntimeApiClient client(address_of("localhost:" + std::to_string(api.port()) + "/sandbox-7"));
  std::vector<std::string> served;
  int status = run_runtime_loop(client, [&served](NextEvent&& event) -> std::optional<RuntimePost> {
    served.push_back(event.request_id);
    if (event.request_id == "req-2") return error_post({std::string(kUnhandledException), "E", "failed", {}});
    return answer_post(std::nullopt, fdk::Response::json({{"echo", event.body}}));
  });
  CHECK(status == 1);
  CHECK(served == std::vector<std::string>{"req-1", "req-2"});
  REQUIRE(api.requests.size() == 5);
  CHECK(api.requests[0].method == "GET");
  CHECK(api.requests[0].target == "/sandbox-7/2018-06-01/runtime/invocation/next");
  CHECK(api.requests[0].headers.get_or("Host", "") == "localhost:" + std::to_string(api.port()));
  CHECK(api.requests[1].method == "POST");
  CHECK(api.requests[1].target == "/sandbox-7/2018-06-01/runtime/invocation/req-1/response");
  CHECK(api.requests[1].body == R"({"echo":"{\"n\":1}"})");
  CHECK(api.requests[1].headers.get_or("Content-Type", "") == "application/json");
  CHECK(api.requests[3].target == "/sandbox-7/2018-06-01/runtime/invocation/req-2/error");
  CHECK(api.requests[3].headers.get_or("Lambda-Runtime-Function-Error-Type", "") == "Runtime.UnhandledException");
  CHECK(api.connections == 2);
}

TEST_CASE("a start-up failure is posted to /init/error") {
  FakeRuntimeApi api(1, [](const fdk::http::RawRequest&) { return FakeRuntimeApi::Answer{202, {}, "", false}; });
  RuntimeApiClient client(address_of("127.0.0.1:" + std::to_string(api.port())));
  report_init_error(client, "the configuration is missing BUCKET.");
  REQUIRE(api.requests.size() == 1);
  CHECK(api.requests[0].target == "/2018-06-01/runtime/init/error");
  CHECK(api.requests[0].headers.get_or("Lambda-Runtime-Function-Error-Type", "") == "Runtime.InitError");
  CHECK(api.requests[0].body.find("the configuration is missing BUCKET.") != std::string::npos);
}

TEST_CASE("no Runtime API listening: the loop stops with a sentence, not a crash") {
  int port = 0;
  {
    FakeRuntimeApi api(1, [](const fdk::http::RawRequest&) { return FakeRuntimeApi::Answer{}; });
    port = api.port();
    RuntimeApiClient warm(address_of("127.0.0.1:" + std::to_string(port)));
    (void)warm.exchange("POST", "/x", {}, "");
  }
  RuntimeApiClient client(address_of("127.0.0.1:" + std::to_string(port)));
  auto answer = client.exchange("GET", client.address().next_target(), {}, {});
  REQUIRE(std::holds_alternative<std::string>(answer));
  CHECK(std::get<std::string>(answer).find("cannot connect to 127.0.0.1:") != std::string::npos);
  CHECK(run_runtime_loop(client, [](NextEvent&&) { return std::optional<RuntimePost>(); }) == 1);
}

TEST_CASE("a function binary under this Runtime API: per-invoke trace header, no deadline from 5000, errors, "
          "an oversize event") {
  int nexts = 0;
  FakeRuntimeApi api(9, [&nexts](const fdk::http::RawRequest& request) {
    if (request.method != "GET") return FakeRuntimeApi::Answer{};
    ++nexts;
    if (nexts == 5) return FakeRuntimeApi::Answer{410, {}, "no more events", false};
    FakeRuntimeApi::Answer event{200, {{"Lambda-Runtime-Aws-Request-Id", "req-" + std::to_string(nexts)},
                                       {"Lambda-Runtime-Deadline-Ms", "5000"}}, "", false};
    if (nexts == 1) {
      event.headers.add("Lambda-Runtime-Trace-Id", "Root=1-aa-bb;Parent=cc;Sampled=1");
      event.body = R"({"X-Do":"describe"})";
    } else if (nexts == 2) {
      event.body = R"({"X-Do":"describe"})";  // no trace header: the previous one must not linger
    } else if (nexts == 3) {
      event.body = R"({"big":")" + std::string(kMaxEventBytes, 'x') + R"("})";  // more than Lambda ever sends
    } else {
      event.body = R"({"X-Do":"throw"})";
    }
    return event;
  });
  std::string api_variable = "AWS_LAMBDA_RUNTIME_API=127.0.0.1:" + std::to_string(api.port());
  std::string name_variable = "AWS_LAMBDA_FUNCTION_NAME=fdk-test";
  char* envp[] = {api_variable.data(), name_variable.data(), nullptr};
  std::string binary = BEHAVIOURS_BINARY;
  char* argv[] = {binary.data(), nullptr};
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, binary.c_str(), nullptr, nullptr, argv, envp) == 0);
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);  // the runtime stops when next answers 410
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);

  REQUIRE(api.requests.size() == 9);
  CHECK(api.requests[1].target == "/2018-06-01/runtime/invocation/req-1/response");
  auto first = nlohmann::json::parse(api.requests[1].body);
  CHECK(first["platform"] == "lambda");
  CHECK(first["call_id"] == "req-1");
  CHECK(first["has_deadline"] == false);
  CHECK(first["trace_id"] == "1-aa-bb");
  CHECK(first["xray_environment"] == "Root=1-aa-bb;Parent=cc;Sampled=1");
  CHECK(first["fn_name"] == "fdk-test");
  auto second = nlohmann::json::parse(api.requests[3].body);
  CHECK(second["xray_environment"] == "");
  CHECK(second["trace_id"] == "");
  CHECK(api.requests[5].target == "/2018-06-01/runtime/invocation/req-3/error");
  CHECK(nlohmann::json::parse(api.requests[5].body)["errorType"] == "RequestTooLarge");
  CHECK(api.requests[5].headers.get_or("Lambda-Runtime-Function-Error-Type", "") == "Function.RequestTooLarge");
  CHECK(api.requests[7].target == "/2018-06-01/runtime/invocation/req-4/error");
  CHECK(nlohmann::json::parse(api.requests[7].body)["errorType"] == "std::runtime_error");
}
