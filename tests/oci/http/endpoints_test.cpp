// Service endpoints from the region and realm, and their environment overrides.
#include <doctest/doctest.h>

#include <cstdlib>

#include "fdk/oci/client.hpp"
#include "fdk/oci/endpoints.hpp"

using fdk::oci::default_service_endpoint;
using fdk::oci::Service;
using fdk::oci::service_endpoint;

TEST_SUITE("oci") {
  TEST_CASE("endpoints per service, region id or short code, and realm") {
    CHECK(default_service_endpoint(Service::compute, "us-ashburn-1") ==
          "https://iaas.us-ashburn-1.oraclecloud.com/20160918");
    CHECK(default_service_endpoint(Service::compute, "fra") == "https://iaas.eu-frankfurt-1.oraclecloud.com/20160918");
    CHECK(default_service_endpoint(Service::container_instances, "iad") ==
          "https://compute-containers.us-ashburn-1.oci.oraclecloud.com/20210415");
    CHECK(default_service_endpoint(Service::secrets, "phx") ==
          "https://secrets.vaults.us-phoenix-1.oci.oraclecloud.com/20190301");
    CHECK(default_service_endpoint(Service::compute, "eu-madrid-2") ==
          "https://iaas.eu-madrid-2.oraclecloud.eu/20160918");
  }

  TEST_CASE("override settings replace the host; the API version path is appended once") {
    const fdk::Config config({{"OCI_COMPUTE_ENDPOINT", "https://127.0.0.1:8443/"},
                              {"OCI_SECRETS_ENDPOINT", "http://127.0.0.1:9000/20190301"}});
    CHECK(service_endpoint(Service::compute, "iad", config) == "https://127.0.0.1:8443/20160918");
    CHECK(service_endpoint(Service::secrets, "iad", config) == "http://127.0.0.1:9000/20190301");
    CHECK(service_endpoint(Service::container_instances, "iad", config) ==
          "https://compute-containers.us-ashburn-1.oci.oraclecloud.com/20210415");
    CHECK(service_endpoint(Service::compute, "iad", fdk::Config()) ==
          "https://iaas.us-ashburn-1.oraclecloud.com/20160918");
    CHECK(std::string(fdk::oci::endpoint_override_variable(Service::container_instances)) ==
          "OCI_CONTAINER_INSTANCES_ENDPOINT");
  }

  TEST_CASE("path segments are percent-encoded") {
    CHECK(fdk::oci::encode_path_segment("ocid1.instance.oc1..aaaa-b_c~d") == "ocid1.instance.oc1..aaaa-b_c~d");
    CHECK(fdk::oci::encode_path_segment("a/b c?d") == "a%2Fb%20c%3Fd");
  }
}
