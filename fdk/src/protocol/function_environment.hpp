// The per-process facts Fn passes in the environment, read once at start. No I/O.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "core/invocation.hpp"
#include "fdk/config.hpp"

namespace fdk::protocol {

struct FunctionEnvironment {
  /// FN_APP_ID, FN_APP_NAME, FN_FN_ID, FN_FN_NAME, FN_MEMORY (default 128) and the config.
  core::FunctionIdentity function;
  bool tracing_enabled = false;
  std::string trace_collector_url;
  std::string log_frame_name;    ///< FN_LOGFRAME_NAME
  std::string log_frame_header;  ///< FN_LOGFRAME_HDR
  /// Taken off the agent's deadline: the FDK answers 504 this early (RunOptions::deadline_margin).
  std::chrono::milliseconds deadline_margin{0};

  /// Reads the FN_* / OCI_TRACING_* variables out of a config snapshot.
  static FunctionEnvironment from_config(std::shared_ptr<const Config> config);
};

}  // namespace fdk::protocol
