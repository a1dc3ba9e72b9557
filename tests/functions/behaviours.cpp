// A test function whose behaviour the caller picks with the `X-Do` header, so integration
// tests can drive every runtime path through one real binary. Where a platform carries no
// request headers (a raw AWS Lambda event), the same names are read from the JSON body
// (`{"X-Do": "throw"}`); an HTTP event carries them as the caller's headers.
#include <fdk/fdk.hpp>

#include <atomic>
#include <pthread.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

namespace {

std::atomic<bool> last_call_saw_cancel{false};

// A request header, else the HTTP caller's header, else a string member of a JSON body.
std::string input(const fdk::Context& ctx, std::string_view body, const char* name, const std::string& fallback) {
  if (auto value = ctx.headers().get(name)) return *value;
  if (auto value = ctx.gateway().headers.get(name)) return *value;
  auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_object() && json.contains(name) && json[name].is_string()) return json[name].get<std::string>();
  return fallback;
}

int number(const fdk::Context& ctx, std::string_view body, const char* name, int fallback) {
  return std::stoi(input(ctx, body, name, std::to_string(fallback)));
}

fdk::Response describe(const fdk::Context& ctx, std::string_view body) {
  nlohmann::json headers = nlohmann::json::object();
  for (const auto& [name, value] : ctx.headers()) headers[name].push_back(value);
  nlohmann::json gateway_headers = nlohmann::json::object();
  for (const auto& [name, value] : ctx.gateway().headers) gateway_headers[name].push_back(value);
  return fdk::Response::json({
      {"call_id", ctx.call_id()},
      {"body", std::string(body)},
      {"body_size", body.size()},
      {"content_type", ctx.content_type()},
      {"app_id", ctx.app_id()},
      {"fn_id", ctx.fn_id()},
      {"memory_mb", ctx.memory_mb()},
      {"time_remaining_ms", ctx.time_remaining().count()},
      {"config_greeting", ctx.config().get_or("GREETING", "")},
      {"is_gateway", ctx.is_gateway()},
      {"method", ctx.gateway().method},
      {"url", ctx.gateway().request_url},
      {"path", ctx.gateway().path},
      {"query", ctx.gateway().query},
      {"gateway_headers", gateway_headers},
      {"headers", headers},
      {"trace_id", ctx.tracing().trace_id},
      {"scheme", ctx.gateway().scheme},
      {"host", ctx.gateway().host},
      {"raw_query", ctx.gateway().raw_query},
      {"fn_name", ctx.fn_name()},
      {"cloud_event_type", ctx.cloud_event() ? ctx.cloud_event()->type : ""},
      {"platform", fdk::platform_name(ctx.platform())},
      {"has_deadline", ctx.has_deadline()},
      {"platform_attributes", ctx.platform_attributes()},
      {"xray_environment", std::getenv("_X_AMZN_TRACE_ID") ? std::getenv("_X_AMZN_TRACE_ID") : ""},
      {"revision", ctx.platform_attribute("revision")},
  });
}

fdk::Response behave(fdk::Context& ctx, std::string_view body) {
  std::string action = input(ctx, body, "X-Do", "describe");
  if (action == "describe") return describe(ctx, body);
  if (action == "echo") return fdk::Response::text(std::string(body)).set_content_type(ctx.content_type());
  if (action == "size") return fdk::Response::text(std::to_string(body.size()));
  if (action == "throw") throw std::runtime_error("the test function was asked to throw");
  if (action == "http-error") throw fdk::HttpError(number(ctx, body, "X-Status", 418), "asked for an HTTP error");
  if (action == "cookies") {
    return fdk::Response::text("cookies", 201)
        .add_header("Set-Cookie", "a=1; Path=/")
        .add_header("Set-Cookie", "b=2")
        .add_header("X-Custom", "v");
  }
  if (action == "log") {
    std::cout << "stdout line from the handler" << std::endl;
    std::cerr << "stderr line from the handler" << std::endl;
    return fdk::Response::text("logged");
  }
  if (action == "sleep") {  // sleeps, ignoring cancellation
    std::this_thread::sleep_for(std::chrono::milliseconds(number(ctx, body, "X-Millis", 100)));
    return fdk::Response::text("slept");
  }
  if (action == "wait-for-cancel") {
    auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!ctx.cancelled() && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    last_call_saw_cancel = ctx.cancelled();
    return fdk::Response::text("noticed cancellation");
  }
  if (action == "last-saw-cancel") return fdk::Response::text(last_call_saw_cancel ? "yes" : "no");
  if (action == "bad-status") return fdk::Response::text("x", 1000);
  if (action == "print-unflushed") {  // stdout is a file here: fully buffered, nothing flushed yet
    std::printf("unflushed stdout line\n");
    return fdk::Response::text("printed");
  }
  if (action == "print-unsynced") {  // iostreams with buffers of their own: nothing flushed yet
    std::ios_base::sync_with_stdio(false);
    std::cout << "unsynchronised stdout line\n";
    return fdk::Response::text("printed");
  }
  if (action == "big") return fdk::Response::text(std::string(std::stoul(input(ctx, body, "X-Bytes", "1")), 'b'));
  if (action == "refuse-threads") {  // from now on no thread can be created: its stack cannot be mapped
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, std::size_t(1) << 48);  // larger than the address space
    pthread_setattr_default_np(&attr);
    pthread_attr_destroy(&attr);
    return fdk::Response::text("threads refused");
  }
  if (action == "big-with-default-sigpipe") {  // handler code that undoes the FDK's SIG_IGN
    std::signal(SIGPIPE, SIG_DFL);
    return fdk::Response::text(std::string(std::stoul(input(ctx, body, "X-Bytes", "1")), 'p'));
  }
  if (action == "abort") std::abort();  // dies by a signal (sanitizers leave SIGABRT alone)
  throw fdk::HttpError(400, "unknown X-Do action '" + action + "'");
}

}  // namespace

int main() { return fdk::run(behave); }
