// The name of the exception being handled, for Lambda's `errorType`. No I/O.
#pragma once

#include <string>

namespace fdk::lambda {

/// The demangled type of the exception currently being handled (`std::runtime_error`), or
/// empty outside a catch block or when the compiler's ABI cannot say.
[[nodiscard]] std::string current_exception_type();

}  // namespace fdk::lambda
