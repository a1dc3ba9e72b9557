// oci-emulator: a local stand-in for the OCI Compute, Container Instances and Secrets APIs.
// See README.md for flags, the state file and the control API.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "emulator.hpp"
#include "http_server.hpp"

namespace {

// Where the generated test certificates are: beside the binary in the build tree, or the
// installed data directory for an installed binary (the two may differ: never mix them).
std::string data_dir() {
  std::error_code error;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (!error && self.parent_path() == std::filesystem::path(OCI_EMULATOR_BUILD_DIR)) return OCI_EMULATOR_BUILD_DIR;
  return OCI_EMULATOR_INSTALLED_DATA_DIR;
}

struct Options {
  int port = 0;
  std::string port_file;
  bool plain = false;
  oci_emulator::TlsFiles tls{data_dir() + "/server.pem", data_dir() + "/server.key"};
  std::vector<std::string> state_files, route_files, trusted_keys, faults;
  std::string instance_dir = data_dir();  // instance-{cert,key,intermediate}.pem
  std::string region = "us-ashburn-1";
  oci_emulator::EmulatorSettings settings;
};

const char* kUsage =
    "usage: oci-emulator [--port N] [--port-file PATH] [--plain] [--tls-cert PEM --tls-key PEM]\n"
    "                    [--state FILE.json]... [--routes FILE.json]... [--trust-key PUBLIC.pem]...\n"
    "                    [--fault JSON]...\n"
    "                    [--transition-delay-ms N] [--max-skew-seconds N]\n"
    "                    [--region ID] [--instance-identity-dir DIR | --no-instance-identity]\n";

std::string read_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot read '" + path + "'");
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

Options parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(flag + " needs a value");
      return argv[++i];
    };
    if (flag == "--port") options.port = std::stoi(value());
    else if (flag == "--port-file") options.port_file = value();
    else if (flag == "--plain") options.plain = true;
    else if (flag == "--tls-cert") options.tls.certificate_chain = value();
    else if (flag == "--tls-key") options.tls.private_key = value();
    else if (flag == "--state") options.state_files.push_back(value());
    else if (flag == "--routes") options.route_files.push_back(value());
    else if (flag == "--trust-key") options.trusted_keys.push_back(value());
    else if (flag == "--fault") options.faults.push_back(value());
    else if (flag == "--instance-identity-dir") options.instance_dir = value();
    else if (flag == "--no-instance-identity") options.instance_dir.clear();
    else if (flag == "--region") options.region = value();
    else if (flag == "--transition-delay-ms") options.settings.transition_delay = std::chrono::milliseconds(std::stoll(value()));
    else if (flag == "--max-skew-seconds") options.settings.max_clock_skew = std::chrono::seconds(std::stoll(value()));
    else if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else {
      throw std::runtime_error("unknown flag '" + flag + "'");
    }
  }
  return options;
}

void configure(oci_emulator::Emulator& emulator, const Options& options) {
  if (!options.instance_dir.empty()) {
    emulator.load({{"instance_identity",
                    {{"region", options.region},
                     {"certificate", options.instance_dir + "/instance-cert.pem"},
                     {"private_key", options.instance_dir + "/instance-key.pem"},
                     {"intermediate", options.instance_dir + "/instance-intermediate.pem"}}}});
  }
  for (const auto& file : options.state_files) emulator.load(nlohmann::json::parse(read_file(file)));
  for (const auto& file : options.route_files) {
    // The file is the array of routes, or a document with a "routes" entry.
    auto routes = nlohmann::json::parse(read_file(file));
    emulator.load(routes.is_array() ? nlohmann::json{{"routes", std::move(routes)}} : std::move(routes));
  }
  for (const auto& key : options.trusted_keys) emulator.load({{"trusted_public_keys", {read_file(key)}}});
  for (const auto& fault : options.faults) emulator.add_fault(oci_emulator::Fault::from_json(nlohmann::json::parse(fault)));
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options options = parse(argc, argv);
    // Block the stop signals before any thread starts so only sigwait below receives them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    std::signal(SIGPIPE, SIG_IGN);

    oci_emulator::Emulator emulator(options.settings);
    configure(emulator, options);
    oci_emulator::HttpServer server(options.port, options.plain ? nullptr : &options.tls,
                                    [&emulator](const oci_emulator::Request& request) { return emulator.handle(request); });
    if (!options.port_file.empty()) {
      // Written then renamed, so a reader never sees a half-written port number.
      const std::string temporary = options.port_file + ".tmp";
      std::ofstream(temporary) << server.port() << "\n";
      std::rename(temporary.c_str(), options.port_file.c_str());
    }
    std::cout << "oci-emulator listening on " << (options.plain ? "http" : "https") << "://127.0.0.1:" << server.port()
              << std::endl;
    int received = 0;
    sigwait(&stop_signals, &received);
    emulator.shutdown();
    server.stop();
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "oci-emulator: " << error.what() << "\n" << kUsage;
    return 2;
  }
}
