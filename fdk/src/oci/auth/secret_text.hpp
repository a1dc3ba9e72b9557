// Wiping secrets (PEM text, passphrases) from memory once they are no longer needed.
#pragma once

#include <string>

namespace fdk::oci::detail {

/// Overwrites the characters of `secret` (in a way the optimiser keeps) and clears it.
void wipe(std::string& secret) noexcept;

}  // namespace fdk::oci::detail
