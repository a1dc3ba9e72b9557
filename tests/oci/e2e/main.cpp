// The doctest runner for the fdk-oci end-to-end tests against the in-process emulator.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
