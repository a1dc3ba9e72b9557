// fdk-invoke: plays the Fn agent for a function binary on this machine, no Docker needed.
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string_view>

#include "agent_connection.hpp"
#include "duration.hpp"
#include "function_process.hpp"
#include "output_relay.hpp"

namespace {

using fdk::invoker::InvokeError;

constexpr const char* kUsage = R"(usage: fdk-invoke [options] -- FUNCTION [ARGS...]

Starts FUNCTION as the Fn agent would (FN_LISTENER in a fresh temporary directory), waits for
lsnr.sock, sends the call(s) over one keep-alive connection, prints the response body on
stdout, then stops the function with SIGTERM. What the function prints (its stdout and
stderr) goes to fdk-invoke's stderr, except the FDK's SIGTERM notice after a clean stop.

options:
  -d, --data TEXT            request body; @FILE reads a file, @- reads stdin (default: empty)
  -t, --content-type TYPE    request Content-Type
  -H, --header 'NAME: VALUE' extra request header (repeatable)
  -e, --config KEY=VALUE     function config, passed as environment (repeatable)
      --timeout DURATION     call timeout, sent as Fn-Deadline: seconds ("30", "1.5") or with
                             a unit ("250ms", "2s", "1m"); exact to the millisecond (default 30)
      --gateway METHOD URL   make it an HTTP-trigger call (Fn-Intent: httprequest)
      --gateway-header 'NAME: VALUE'  a header from the gateway caller (repeatable)
  -n, --repeat N             send the call N times on the same connection (default 1)
  -i, --include              print the status line and headers before the body
      --start-timeout DURATION  how long the function may take to create its socket
                             (a bare number is milliseconds; default 5000)
      --socket-dir DIR       create lsnr.sock in DIR (which must exist) instead of a
                             fresh temporary directory
  -v, --verbose              also show the FDK's notice that the function got SIGTERM
  -h, --help                 this text

exit status:
  0  every call got 200 from the function (and, without -i, a 2xx status for the caller)
  1  a call failed: the function answered 502 or 504, broke the connection or died, or
     did not exit cleanly on SIGTERM
  2  the function could not be started, or the arguments are wrong
  3  without -i: the function answered the caller with a status that is not 2xx
     (Fn-Http-Status, e.g. from fdk::HttpError); -i prints the status instead
)";

// How an fdk-cpp function starts its line on SIGTERM (fdk/src/runtime/server.cpp).
constexpr std::string_view kShutdownNotice = "fdk-cpp: received SIGTERM";

struct Options {
  fdk::invoker::LaunchOptions launch;
  fdk::protocol::AgentCall call;
  std::chrono::milliseconds timeout{30000};
  int repeat = 1;
  bool include_headers = false;
  bool verbose = false;
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

std::chrono::milliseconds to_duration(const std::string& text, const char* what, std::chrono::milliseconds bare_unit) {
  if (auto duration = fdk::detail::parse_duration(text, bare_unit)) return *duration;
  usage_error(std::string(what) + " must be a positive duration such as 2, 1.5, 250ms or 2s (at most a day), got '" +
              text + "'");
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
      options.timeout = to_duration(value("--timeout"), "--timeout", std::chrono::seconds(1));
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
      options.launch.start_timeout = to_duration(value("--start-timeout"), "--start-timeout", std::chrono::milliseconds(1));
    } else if (arg == "--socket-dir") {
      options.launch.socket_dir = value("--socket-dir");
    } else if (arg == "-v" || arg == "--verbose") {
      options.verbose = true;
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

// The status the gateway caller would see: Fn-Http-Status, else the agent's.
int caller_status(const fdk::protocol::RawResponse& response) {
  std::string text = response.headers.get_or("Fn-Http-Status", "");
  if (text.empty()) return response.status;
  try {
    return std::stoi(text);
  } catch (const std::exception&) {
    return 0;  // not a number: certainly not a 2xx
  }
}

// A call got no response: say what happened to the function if it died, and return 1.
int report_broken_call(fdk::invoker::FunctionProcess& function, fdk::invoker::OutputRelay& output,
                       const InvokeError& error, bool connection_closed, int call_number) {
  // A crashed function closes the connection as it dies: it is about to be reaped.
  std::optional<int> status;
  if (connection_closed) status = function.wait_for_exit(std::chrono::seconds(3));
  output.flush();
  if (status) {
    std::cerr << "fdk-invoke: the function " << fdk::invoker::describe_exit(*status) << " during call " << call_number
              << " (the Fn agent would answer 502 and start a new container).\n";
  } else {
    std::cerr << "fdk-invoke: call " << call_number << ": " << error.what() << "\n";
  }
  return 1;
}

int invoke(Options& options, fdk::invoker::OutputRelay& output) {
  auto function = fdk::invoker::FunctionProcess::launch(options.launch);
  fdk::invoker::AgentConnection connection(function.socket_path());
  bool call_failed = false;
  bool caller_error = false;
  // fdk-invoke's --timeout is exact: the agent's whole-second truncation would make
  // "--timeout 1" anything from 0 to 1 s.
  options.call.whole_second_deadline = false;
  for (int n = 1; n <= options.repeat; ++n) {
    options.call.call_id = "01LOCALCALL" + std::to_string(function.pid()) + "N" + std::to_string(n);
    options.call.deadline = std::chrono::system_clock::now() + options.timeout;
    fdk::protocol::RawResponse response;
    try {
      // Wait a little past the deadline: the function should answer 504 by then.
      response = connection.call(options.call, options.timeout + std::chrono::seconds(5));
    } catch (const InvokeError& error) {
      return report_broken_call(function, output, error, connection.closed_by_peer(), n);
    }
    output.flush();  // the function's lines about this call before its result
    print_response(response, options.include_headers);
    if (response.status != 200) {
      std::cerr << "fdk-invoke: the function answered " << response.status
                << (response.status == 504 ? " (deadline passed)" : response.status == 502 ? " (handler failed)" : "")
                << "\n";
      call_failed = true;
    } else if (int status = caller_status(response); !options.include_headers && (status < 200 || status > 299)) {
      std::cerr << "fdk-invoke: the caller would get HTTP " << status
                << " (Fn-Http-Status); -i shows the status line and headers\n";
      caller_error = true;
    }
  }
  output.hold();
  int status = 0;
  try {
    status = function.stop(SIGTERM, std::chrono::seconds(10));
  } catch (const InvokeError& error) {
    output.release();
    std::cerr << "fdk-invoke: " << error.what() << "\n";
    return 1;
  }
  bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (options.verbose || !clean) {
    output.release();
  } else {
    // The FDK's notice that fdk-invoke stopped it says nothing new after every run.
    output.release([](std::string_view line) { return line.rfind(kShutdownNotice, 0) != 0; });
  }
  if (!clean) {
    std::cerr << "fdk-invoke: after SIGTERM the function " << fdk::invoker::describe_exit(status) << "\n";
    call_failed = true;
  }
  return call_failed ? 1 : caller_error ? 3 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options = parse_arguments(argc, argv);
  try {
    fdk::invoker::OutputRelay output(STDERR_FILENO);
    options.launch.output_fd = output.write_fd();
    try {
      return invoke(options, output);
    } catch (const InvokeError& error) {
      output.flush();  // the function's own explanation first
      std::cerr << "fdk-invoke: " << error.what() << "\n";
      return 2;
    }
  } catch (const InvokeError& error) {
    std::cerr << "fdk-invoke: " << error.what() << "\n";
    return 2;
  }
}
