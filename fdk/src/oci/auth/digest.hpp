// Message digests used by signing: SHA-256 for bodies, SHA-1 for certificate fingerprints.
#pragma once

#include <string>
#include <string_view>

namespace fdk::oci::detail {

/// The raw 32-byte SHA-256 of `bytes`.
[[nodiscard]] std::string sha256(std::string_view bytes);

/// Lower-case hex pairs joined by `:` (`ab:cd:...`), as OCI prints key and certificate fingerprints.
[[nodiscard]] std::string colon_hex(std::string_view bytes);

}  // namespace fdk::oci::detail
