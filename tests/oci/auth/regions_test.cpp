// Region short codes, canonical ids and realm domains.
#include <doctest/doctest.h>

#include "fdk/oci/regions.hpp"

TEST_CASE("short codes map to region ids") {
  CHECK(fdk::oci::region_for_short_code("iad") == "us-ashburn-1");
  CHECK(fdk::oci::region_for_short_code("FRA") == "eu-frankfurt-1");
  CHECK(fdk::oci::region_for_short_code("lhr") == "uk-london-1");
  CHECK_FALSE(fdk::oci::region_for_short_code("xyz"));
  CHECK(fdk::oci::canonical_region(" phx ") == "us-phoenix-1");
  CHECK(fdk::oci::canonical_region("US-ASHBURN-1") == "us-ashburn-1");
  CHECK(fdk::oci::canonical_region("xx-newplace-1") == "xx-newplace-1");
}

TEST_CASE("realms and their domains") {
  CHECK(fdk::oci::realm_domain_for_region("iad") == "oraclecloud.com");
  CHECK(fdk::oci::realm_domain_for_region("us-gov-ashburn-1") == "oraclegovcloud.com");
  CHECK(fdk::oci::realm_domain_for_region("uk-gov-london-1") == "oraclegovcloud.uk");
  CHECK(fdk::oci::realm_domain_for_region("eu-frankfurt-2") == "oraclecloud.eu");
  CHECK(fdk::oci::realm_domain_for_region("ap-chiyoda-1") == "oraclecloud8.com");
  CHECK(fdk::oci::realm_for_region("eu-jovanovac-1") == "oc20");
  CHECK(fdk::oci::realm_for_region("unknown-region-1") == "oc1");
  CHECK(fdk::oci::domain_for_realm("oc21") == "oraclecloud21.com");
  CHECK_FALSE(fdk::oci::domain_for_realm("oc999"));
}
