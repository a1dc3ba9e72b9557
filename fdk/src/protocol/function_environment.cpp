#include "protocol/function_environment.hpp"

#include <cstdlib>

#include "fdk/headers.hpp"

namespace fdk::protocol {

namespace {
int parse_memory(const std::string& text) {
  char* end = nullptr;
  long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value <= 0 || value > 1 << 20) return 128;
  return static_cast<int>(value);
}
}  // namespace

FunctionEnvironment FunctionEnvironment::from_config(std::shared_ptr<const Config> config) {
  FunctionEnvironment env;
  core::FunctionIdentity& function = env.function;
  function.app_id = config->get_or("FN_APP_ID", "");
  function.app_name = config->get_or("FN_APP_NAME", "");
  function.fn_id = config->get_or("FN_FN_ID", "");
  function.fn_name = config->get_or("FN_FN_NAME", "");
  function.memory_mb = parse_memory(config->get_or("FN_MEMORY", "128"));
  std::string tracing = config->get_or("OCI_TRACING_ENABLED", "");
  env.tracing_enabled = tracing == "1" || iequals(tracing, "true");
  env.trace_collector_url = config->get_or("OCI_TRACE_COLLECTOR_URL", "");
  env.log_frame_name = config->get_or("FN_LOGFRAME_NAME", "");
  env.log_frame_header = config->get_or("FN_LOGFRAME_HDR", "");
  function.config = std::move(config);
  return env;
}

}  // namespace fdk::protocol
