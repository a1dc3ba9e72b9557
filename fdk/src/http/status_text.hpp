// Reason phrases for HTTP status codes. No I/O.
#pragma once

#include <string_view>

namespace fdk::http {

/// The standard reason phrase (`404` -> `Not Found`); `Status` for codes without one
/// (the phrase is informational, clients go by the number).
[[nodiscard]] std::string_view status_text(int status) noexcept;

}  // namespace fdk::http
