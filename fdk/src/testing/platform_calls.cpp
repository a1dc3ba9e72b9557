// The helpers every platform's side of fdk::testing shares: the call's environment, the
// caller's request split out of the Call, and running the handler against its deadline.
#include <future>
#include <thread>

#include "core/call_core.hpp"
#include "http/url.hpp"
#include "runtime/log.hpp"
#include "testing/platform_calls.hpp"

namespace fdk::testing {

namespace {

bool is_absolute_url(const std::string& url) { return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0; }

}  // namespace

namespace detail {

std::shared_ptr<const Config> config_for(const Call& call) {
  return std::make_shared<const Config>(
      call.config.empty()
          ? Config::from_environment()
          : Config(std::map<std::string, std::string, std::less<>>(call.config.begin(), call.config.end())));
}

CallerRequest caller_request(const Call& call) {
  CallerRequest request;
  request.method = call.gateway_method.value_or("GET");
  if (is_absolute_url(call.gateway_url)) {
    http::Url url = http::parse_url(call.gateway_url);  // throws std::invalid_argument naming the URL
    request.scheme = url.scheme;
    request.authority = url.authority();
    request.target = url.target;
  } else {
    request.authority = "localhost";
    request.target = http::origin_form(call.gateway_url);
  }
  request.path = http::url_path(request.target);
  request.raw_query = std::string(http::url_query(request.target));
  if (!call.headers.contains("Host") && !call.gateway_headers.contains("Host")) request.headers.add("Host", request.authority);
  for (const auto& [name, value] : call.headers) request.headers.add(name, value);
  for (const auto& [name, value] : call.gateway_headers) request.headers.add(name, value);
  if (!call.content_type.empty() && !request.headers.contains("Content-Type")) {
    request.headers.add("Content-Type", call.content_type);
  }
  return request;
}

core::CallResult run_until_deadline(const Handler& handler, protocol::PreparedCall& call) {
  using Finished = std::pair<core::CallResult, protocol::SystemTime>;
  std::packaged_task<Finished()> task([&] {
    if (!call.log_frame.empty()) runtime::write_log_frame(call.log_frame);
    core::CallResult handled = core::run_handler(handler, call.context, call.body);
    return Finished{std::move(handled), std::chrono::system_clock::now()};
  });
  auto result = task.get_future();
  std::thread worker(std::move(task));
  if (call.context.has_deadline() &&
      result.wait_until(call.context.deadline()) != std::future_status::ready) {
    call.cancelled->store(true, std::memory_order_release);
  }
  worker.join();  // past the deadline, the handler should notice ctx.cancelled() and return
  auto [outcome, finished] = result.get();
  return core::result_at(std::move(outcome), call.context, finished);
}

}  // namespace detail

}  // namespace fdk::testing
