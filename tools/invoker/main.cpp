// fdk-invoke: plays the Fn agent for a function binary on this machine, no Docker needed.
#include <signal.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "agent_connection.hpp"
#include "function_process.hpp"

namespace {

using fdk::invoker::InvokeError;

constexpr const char* kUsage = R"(usage: fdk-invoke [options] -- FUNCTION [ARGS...]

Starts FUNCTION as the Fn agent would (FN_LISTENER in a fresh temporary directory), waits for
lsnr.sock, sends the call(s) over one keep-alive connection, prints the response body, then
stops the function with SIGTERM.

options:
  -d, --data TEXT            request body; @FILE reads a file, @- reads stdin (default: empty)
  -t, --content-type TYPE    request Content-Type
  -H, --header 'NAME: VALUE' extra request header (repeatable)
  -e, --config KEY=VALUE     function config, passed as environment (repeatable)
      --timeout SECONDS      call timeout, sent as Fn-Deadline (default 30)
      --gateway METHOD URL   make it an HTTP-trigger call (Fn-Intent: httprequest)
      --gateway-header 'NAME: VALUE'  a header from the gateway caller (repeatable)
  -n, --repeat N             send the call N times on the same connection (default 1)
  -i, --include              print the status line and headers before the body
      --start-timeout MS     how long the function may take to create its socket (default 5000)
  -h, --help                 this text

exit status: 0 when every call got 200 from the function, 1 when one got 502 or 504,
2 when the function could not be started or the arguments are wrong.
)";

struct Options {
  fdk::invoker::LaunchOptions launch;
  fdk::protocol::AgentCall call;
  int timeout_seconds = 30;
  int repeat = 1;
  bool include_headers = false;
};

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "fdk-invoke: " << message << "\n(run fdk-invoke --help for usage)\n";
  std::exit(2);
}

std::pair<std::string, std::string> split_header(const std::string& text) {
  auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0) usage_error("a header must look like 'Name: value', got '" + text + "'");
  std::string value = text.substr(colon + 1);
  value.erase(0, value.find_first_not_of(" \t"));
  return {text.substr(0, colon), value};
}

std::string read_body(const std::string& spec) {
  if (spec.empty() || spec[0] != '@') return spec;
  std::string path = spec.substr(1);
  if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
  std::ifstream file(path, std::ios::binary);
  if (!file) usage_error("cannot read the body file '" + path + "'");
  return std::string(std::istreambuf_iterator<char>(file), {});
}

int to_int(const std::string& text, const char* what) {
  try {
    std::size_t used = 0;
    int value = std::stoi(text, &used);
    if (used == text.size() && value > 0) return value;
  } catch (const std::exception&) {
  }
  usage_error(std::string(what) + " must be a positive whole number, got '" + text + "'");
}

Options parse_arguments(int argc, char** argv) {
  Options options;
  int i = 1;
  auto value = [&](const char* flag) -> std::string {
    if (i + 1 >= argc) usage_error(std::string(flag) + " needs a value");
    return argv[++i];
  };
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      ++i;
      break;
    } else if (arg == "-h" || arg == "--help") {
      std::cout << kUsage;
      std::exit(0);
    } else if (arg == "-d" || arg == "--data") {
      options.call.body = read_body(value("--data"));
    } else if (arg == "-t" || arg == "--content-type") {
      options.call.content_type = value("--content-type");
    } else if (arg == "-H" || arg == "--header") {
      auto [name, text] = split_header(value("--header"));
      options.call.headers.add(name, text);
    } else if (arg == "-e" || arg == "--config") {
      std::string pair = value("--config");
      auto eq = pair.find('=');
      if (eq == std::string::npos || eq == 0) usage_error("--config needs KEY=VALUE, got '" + pair + "'");
      options.launch.config[pair.substr(0, eq)] = pair.substr(eq + 1);
    } else if (arg == "--timeout") {
      options.timeout_seconds = to_int(value("--timeout"), "--timeout");
    } else if (arg == "--gateway") {
      options.call.gateway_method = value("--gateway");
      options.call.gateway_url = value("--gateway");
    } else if (arg == "--gateway-header") {
      auto [name, text] = split_header(value("--gateway-header"));
      options.call.gateway_headers.add(name, text);
    } else if (arg == "-n" || arg == "--repeat") {
      options.repeat = to_int(value("--repeat"), "--repeat");
    } else if (arg == "-i" || arg == "--include") {
      options.include_headers = true;
    } else if (arg == "--start-timeout") {
      options.launch.start_timeout = std::chrono::milliseconds(to_int(value("--start-timeout"), "--start-timeout"));
    } else if (!arg.empty() && arg[0] == '-') {
      usage_error("unknown option '" + arg + "'");
    } else {
      break;
    }
  }
  for (; i < argc; ++i) options.launch.argv.emplace_back(argv[i]);
  if (options.launch.argv.empty()) usage_error("name the function binary to run, after --");
  return options;
}

void print_response(const fdk::protocol::RawResponse& response, bool include_headers) {
  if (include_headers) {
    std::cout << "HTTP/1.1 " << response.status << "\n";
    for (const auto& [name, text] : response.headers) std::cout << name << ": " << text << "\n";
    std::cout << "\n";
  }
  std::cout << response.body;
  if (!response.body.empty() && response.body.back() != '\n') std::cout << "\n";
  std::cout.flush();
}

int invoke(Options& options) {
  auto function = fdk::invoker::FunctionProcess::launch(options.launch);
  fdk::invoker::AgentConnection connection(function.socket_path());
  int exit_code = 0;
  for (int n = 1; n <= options.repeat; ++n) {
    options.call.call_id = "01LOCALCALL" + std::to_string(function.pid()) + "N" + std::to_string(n);
    options.call.deadline = std::chrono::system_clock::now() + std::chrono::seconds(options.timeout_seconds);
    // Wait a little past the deadline: the function should answer 504 by then.
    auto response = connection.call(options.call, std::chrono::seconds(options.timeout_seconds + 5));
    print_response(response, options.include_headers);
    if (response.status != 200) {
      std::cerr << "fdk-invoke: the function answered " << response.status
                << (response.status == 504 ? " (deadline passed)" : response.status == 502 ? " (handler failed)" : "")
                << "\n";
      exit_code = 1;
    }
  }
  int status = function.stop(SIGTERM, std::chrono::seconds(10));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::cerr << "fdk-invoke: after SIGTERM the function " << fdk::invoker::describe_exit(status) << "\n";
    exit_code = exit_code ? exit_code : 1;
  }
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  Options options = parse_arguments(argc, argv);
  try {
    return invoke(options);
  } catch (const InvokeError& error) {
    std::cerr << "fdk-invoke: " << error.what() << "\n";
    return 2;
  }
}
