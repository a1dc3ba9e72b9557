// OCI regions and realms: short codes (`iad`), region ids (`us-ashburn-1`) and the
// second-level domain each realm's endpoints live under.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fdk/export.hpp"

namespace fdk::oci {

/// The region id for a three-letter short code (`iad` → `us-ashburn-1`), case-insensitive;
/// nothing when the code is unknown.
[[nodiscard]] FDK_API std::optional<std::string> region_for_short_code(std::string_view short_code);

/// A region id from either a region id or a short code, lower-cased and trimmed.
/// Values that are neither a known code nor a known id are returned as given (lower-cased),
/// so regions newer than this table still work.
///
/// @code
///   fdk::oci::canonical_region("FRA");           // "eu-frankfurt-1"
///   fdk::oci::canonical_region("us-ashburn-1");  // "us-ashburn-1"
/// @endcode
[[nodiscard]] FDK_API std::string canonical_region(std::string_view region_or_short_code);

/// True when `region` (as canonical_region returns it) can be part of a host name: 1 to 63
/// lower-case letters, digits and '-', starting and ending with a letter or digit.
/// Credential providers refuse regions that are not.
[[nodiscard]] FDK_API bool is_valid_region(std::string_view region) noexcept;

/// The realm a region belongs to (`oc1`, `oc19`, ...). Unknown regions are assumed to be in
/// `oc1`, as the OCI SDKs do.
[[nodiscard]] FDK_API std::string realm_for_region(std::string_view region_or_short_code);

/// The second-level domain of a realm (`oc1` → `oraclecloud.com`); nothing when unknown.
[[nodiscard]] FDK_API std::optional<std::string> domain_for_realm(std::string_view realm);

/// The second-level domain service endpoints of a region live under.
///
/// @code
///   auto host = "iaas." + fdk::oci::canonical_region(r) + "." + fdk::oci::realm_domain_for_region(r);
/// @endcode
[[nodiscard]] FDK_API std::string realm_domain_for_region(std::string_view region_or_short_code);

}  // namespace fdk::oci
