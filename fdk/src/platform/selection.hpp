// Which platform serves this process, decided from the environment alone. No I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "fdk/config.hpp"
#include "fdk/platform.hpp"

namespace fdk::platform {

/// The platform chosen and the evidence for it, e.g. `AWS_LAMBDA_RUNTIME_API=127.0.0.1:9001`.
struct Selection {
  Platform platform = Platform::fn;
  std::string reason;
};

/// "fn", "lambda", "http" or "stdio" (exactly, lower case); nothing for anything else.
[[nodiscard]] std::optional<Platform> platform_from_name(std::string_view name);

/// Applies the selection order, first match wins:
///   1. `FDK_PLATFORM`, else `requested` (RunOptions::platform): an explicit choice;
///   2. `FN_LISTENER` → fn;  3. `AWS_LAMBDA_RUNTIME_API` → lambda;  4. `Http_Method` → stdio
///      (the OpenFaaS watchdogs set it for each forked child);
///   5. `mode=http` with `upstream_url` or `http_upstream_url` → http (before rule 6: the
///      of-watchdog child also inherits the watchdog's `PORT`);  6. `PORT` → http.
/// Stdin being a pipe never selects stdio. Returns the selection, or one sentence saying
/// that nothing matched (or that FDK_PLATFORM is misspelt) and what to set.
[[nodiscard]] std::variant<Selection, std::string> select_platform(const Config& environment,
                                                                   std::optional<Platform> requested = {});

/// The one stderr line announcing the choice: `fdk-cpp: platform lambda (AWS_LAMBDA_RUNTIME_API=...)`.
[[nodiscard]] std::string announcement(const Selection& selection);

}  // namespace fdk::platform
