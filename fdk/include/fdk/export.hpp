// Symbol visibility: the fdk libraries build with hidden symbols; FDK_API marks the public ones.
#pragma once

#if defined(__GNUC__)
#define FDK_API __attribute__((visibility("default")))
#else
#define FDK_API
#endif
