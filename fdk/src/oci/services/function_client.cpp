#include "fdk/oci/function_client.hpp"

#include <mutex>

#include "fdk/oci/credentials.hpp"
#include "fdk/oci/http_transport.hpp"

namespace fdk::oci {

std::shared_ptr<AuthProvider> function_credentials(const Config& config) {
  AuthOptions options;
  if (config.get_or("OCI_RESOURCE_PRINCIPAL_VERSION", "") == "2.2") {
    options.kind = AuthKind::resource_principal;
  } else {
    options.kind = AuthKind::instance_principal;
    TransportOptions transport;
    transport.config = config;
    options.transport = make_http_transport(std::move(transport));
  }
  return make_auth_provider(config, std::move(options));
}

std::shared_ptr<Client> make_function_client(const Config& config, ClientOptions options) {
  if (!options.config) options.config = config;
  return std::make_shared<Client>(function_credentials(config), std::move(options));
}

std::shared_ptr<Client> shared_client(const Config& config) {
  static std::mutex mutex;
  static std::shared_ptr<Client> client;
  std::lock_guard<std::mutex> lock(mutex);
  if (!client) client = make_function_client(config);
  return client;
}

}  // namespace fdk::oci
