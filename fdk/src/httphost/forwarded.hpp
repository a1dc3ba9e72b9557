// The scheme the caller used, as a proxy in front of the function reports it
// (`X-Forwarded-Proto`, or RFC 7239 `Forwarded: proto=`). No I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fdk/headers.hpp"

namespace fdk::httphost {

/// The `proto` parameter of the first element of a `Forwarded` value (the proxy nearest the
/// caller), lower-cased; nothing when absent or malformed. Quoted values are unquoted.
[[nodiscard]] std::optional<std::string> forwarded_proto(std::string_view forwarded);

/// `http` or `https`: X-Forwarded-Proto's first value, else Forwarded's proto, else `http`.
/// Anything but `http` or `https` is ignored: it would make a URL the handler cannot use.
[[nodiscard]] std::string request_scheme(const Headers& headers);

}  // namespace fdk::httphost
