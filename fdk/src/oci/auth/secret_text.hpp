// Wiping secrets (PEM text, passphrases) from memory once they are no longer needed.
#pragma once

#include <string>

namespace fdk::oci::detail {

/// Overwrites the characters of `secret` (in a way the optimiser keeps) and clears it.
void wipe(std::string& secret) noexcept;

/// Wipes the referenced string when the scope ends, however it ends.
class ScopedWipe {
 public:
  explicit ScopedWipe(std::string& secret) noexcept : secret_(secret) {}
  ~ScopedWipe() { wipe(secret_); }
  ScopedWipe(const ScopedWipe&) = delete;
  ScopedWipe& operator=(const ScopedWipe&) = delete;

 private:
  std::string& secret_;
};

}  // namespace fdk::oci::detail
