// The doctest runner for the fdk-oci HTTP client, retry, service mapping and waiter unit tests.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
