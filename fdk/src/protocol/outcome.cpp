#include "protocol/outcome.hpp"

namespace fdk::protocol {

int agent_status_of(core::ResultKind kind) noexcept {
  switch (kind) {
    case core::ResultKind::ok:
    case core::ResultKind::http_error:
    case core::ResultKind::too_large:
      return 200;
    case core::ResultKind::deadline_passed:
      return 504;
    case core::ResultKind::handler_failed:
    case core::ResultKind::bad_request:
    case core::ResultKind::unavailable:
      return 502;
  }
  return 502;
}

Outcome to_outcome(core::CallResult result, bool omit_body) {
  return Outcome{agent_status_of(result.kind), std::move(result.response), std::move(result.log_line), omit_body};
}

}  // namespace fdk::protocol
