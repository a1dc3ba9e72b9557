// Compiled with -std=c++17 -Werror: every public header must stand alone on older toolchains
// and must not pull in libuv, llhttp or OpenSSL.
#include <fdk/config.hpp>
#include <fdk/context.hpp>
#include <fdk/fdk.hpp>
#include <fdk/headers.hpp>
#include <fdk/http_error.hpp>
#include <fdk/json.hpp>
#include <fdk/log.hpp>
#include <fdk/platform.hpp>
#include <fdk/response.hpp>
#include <fdk/run.hpp>
#include <fdk/testing.hpp>
#include <fdk/version.hpp>

#if defined(UV_VERSION_MAJOR) || defined(INCLUDE_LLHTTP_H_) || defined(LLHTTP_VERSION_MAJOR) || \
    defined(OPENSSL_VERSION_NUMBER)
#error "a public fdk header leaked a third-party implementation header"
#endif

static_assert(__cplusplus == 201703L, "this check must compile as C++17");

int main() { return fdk::kVersion[0] == '\0'; }
