// Symbol visibility: the fdk libraries build with hidden symbols; FDK_API marks the public ones.
#pragma once

#if defined(__GNUC__)
#define FDK_API __attribute__((visibility("default")))
// For inline functions whose signatures carry nlohmann::json: every binary that uses one keeps
// its own hidden copy, so no fdk shared library exports a symbol naming a third-party type (a
// user building with another nlohmann release cannot bind to the one fdk-cpp was built with).
#define FDK_HIDDEN_INLINE __attribute__((visibility("hidden")))
#else
#define FDK_API
#define FDK_HIDDEN_INLINE
#endif
