// Is this text UTF-8? (JSON strings must be; bytes that are not travel base64-encoded.) No I/O.
#pragma once

#include <string_view>

namespace fdk::encoding {

/// True for well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing past U+10FFFF.
[[nodiscard]] bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace fdk::encoding
