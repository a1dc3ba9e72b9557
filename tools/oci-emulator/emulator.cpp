#include "emulator.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "encoding/base64.hpp"
#include "protocol/url.hpp"

namespace oci_emulator {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kComputePrefix = "/20160918/instances/";
constexpr const char* kContainerPrefix = "/20210415/containerInstances/";
constexpr const char* kSecretsPrefix = "/20190301/secretbundles/";
constexpr const char* kControlPrefix = "/_emulator/";
constexpr const char* kMetadataPrefix = "/opc/v2/";
constexpr const char* kFederationPath = "/v1/x509";
constexpr std::size_t kLogLimit = 2000;

Reply json_reply(int status, const nlohmann::json& body) {
  Reply reply;
  reply.status = status;
  reply.headers.set("Content-Type", "application/json");
  if (!body.is_null()) reply.body = body.dump();
  return reply;
}

Reply error_reply(int status, const std::string& code, const std::string& message) {
  return json_reply(status, {{"code", code}, {"message", message}});
}

Reply not_implemented(const Request& request) {
  return error_reply(404, "NotAuthorizedOrNotFound",
                     "the emulator does not implement " + request.method + " " + request.path +
                         "; give it a canned answer with --routes FILE.json (see the emulator's README)");
}

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

std::string query_value(const Request& request, const char* name) {
  const auto query = request.target.find('?');
  if (query == std::string::npos) return {};
  for (const auto& [key, value] : fdk::protocol::parse_query(request.target.substr(query + 1))) {
    if (key == name) return value;
  }
  return {};
}

// Trusted keys are given inline (PEM text) or as an absolute path, like the SDK settings.
std::string pem_text(const std::string& value) {
  if (value.empty() || value.front() != '/') return value;
  std::ifstream file(value);
  if (!file) throw std::invalid_argument("cannot read trusted public key file '" + value + "'");
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

const std::string& require_string(const nlohmann::json& entry, const char* field, const char* what) {
  if (!entry.is_object() || !entry.contains(field) || !entry[field].is_string()) {
    throw std::invalid_argument(std::string(what) + " entry needs a string '" + field + "': " + entry.dump());
  }
  return entry[field].get_ref<const std::string&>();
}

}  // namespace

Emulator::Emulator(EmulatorSettings settings) : settings_(settings), signatures_(settings.max_clock_skew) {}

void Emulator::load(const nlohmann::json& document) {
  if (!document.is_object()) throw std::invalid_argument("the emulator state must be a JSON object");
  std::lock_guard<std::mutex> lock(mutex_);
  if (document.contains("transition_delay_ms")) {
    settings_.transition_delay = std::chrono::milliseconds(document["transition_delay_ms"].get<long long>());
  }
  int index = 0;
  for (const auto& key : document.value("trusted_public_keys", nlohmann::json::array())) {
    signatures_.trust(pem_text(key.get<std::string>()), "trusted_public_keys[" + std::to_string(index++) + "]");
  }
  load_resources(document.value("instances", nlohmann::json::array()), "instances", instances_);
  load_resources(document.value("container_instances", nlohmann::json::array()), "container_instances",
                 container_instances_);
  for (const auto& secret : document.value("secrets", nlohmann::json::array())) load_secret(secret);
  for (const auto& fault : document.value("faults", nlohmann::json::array())) faults_.add(Fault::from_json(fault));
  if (document.contains("routes")) routes_.load(document["routes"]);
  if (document.contains("session_token_lifetime_seconds")) {
    session_token_lifetime_ = std::chrono::seconds(document["session_token_lifetime_seconds"].get<long long>());
  }
  if (document.contains("instance_identity")) {
    const auto& identity = document["instance_identity"];
    identity_.emplace(identity.value("region", "us-ashburn-1"),
                      pem_text(require_string(identity, "certificate", "instance_identity")),
                      pem_text(require_string(identity, "private_key", "instance_identity")),
                      pem_text(require_string(identity, "intermediate", "instance_identity")));
  }
}

void Emulator::load_resources(const nlohmann::json& list, const char* what, std::map<std::string, Resource>& into) {
  for (const auto& entry : list) {
    const std::string& id = require_string(entry, "id", what);
    const std::string& state = require_string(entry, "lifecycleState", what);
    Resource& resource = into[id];
    resource.document = entry;
    resource.lifecycle.set(state);
  }
}

void Emulator::load_secret(const nlohmann::json& entry) {
  SecretVersion version;
  const std::string& id = require_string(entry, "id", "secrets");
  version.number = entry.value("versionNumber", 1);
  version.name = entry.value("versionName", "");
  version.stages = entry.value("stages", std::vector<std::string>{"CURRENT", "LATEST"});
  if (entry.contains("content_base64")) {
    version.content_base64 = require_string(entry, "content_base64", "secrets");
  } else {
    version.content_base64 = fdk::encoding::base64_encode(require_string(entry, "content", "secrets"));
  }
  secrets_[id].push_back(std::move(version));
}

void Emulator::add_fault(Fault fault) {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.add(std::move(fault));
}

void Emulator::shutdown() {
  std::lock_guard<std::mutex> lock(mutex_);
  shutting_down_ = true;
  wake_.notify_all();
}

bool Emulator::sleep_unless_shutdown(std::chrono::milliseconds delay) {
  std::unique_lock<std::mutex> lock(mutex_);
  return !wake_.wait_for(lock, delay, [this] { return shutting_down_; });
}

void Emulator::log(const Request& request, int status, const std::string& note) {
  std::lock_guard<std::mutex> lock(mutex_);
  log_.push_back({{"method", request.method},
                  {"target", request.target},
                  {"status", status},
                  {"opc_request_id", request.headers.get_or("opc-request-id", "")},
                  {"opc_retry_token", request.headers.get_or("opc-retry-token", "")},
                  {"key_kind", SignatureCheck::key_kind(request)},
                  {"note", note}});
  if (log_.size() > kLogLimit) log_.pop_front();
  ++served_;
}

Reply Emulator::handle(const Request& request) {
  if (starts_with(request.path, kControlPrefix)) return handle_control(request);
  std::optional<Fault> fault;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    fault = faults_.take(request.method, request.path);
  }
  if (fault && fault->delay.count() > 0 && !sleep_unless_shutdown(fault->delay)) {
    Reply reply;
    reply.reset_connection = true;
    return reply;
  }
  if (fault && fault->reset) {
    log(request, 0, "fault: connection reset");
    Reply reply;
    reply.reset_connection = true;
    return reply;
  }
  Reply reply;
  std::string note;
  if (fault && fault->status != 0) {
    reply = error_reply(fault->status, fault->code, "injected fault");
    note = "fault: " + std::to_string(fault->status);
  } else if (starts_with(request.path, kMetadataPrefix) && identity_) {
    reply = identity_->metadata(request, request.path.substr(std::string(kMetadataPrefix).size()));
  } else if (request.path == kFederationPath && request.method == "POST" && identity_) {
    std::lock_guard<std::mutex> lock(mutex_);
    reply = federation(request);
  } else {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto reason = signatures_.reject_reason(request)) {
      reply = error_reply(401, "NotAuthenticated",
                          "The required information to complete authentication was not provided or was incorrect: " + *reason);
      note = *reason;
    } else if (auto canned = routes_.find(request.method, request.path)) {
      reply = std::move(*canned);
      note = "canned route";
    } else {
      reply = handle_service(request);
    }
  }
  reply.headers.set("opc-request-id", request.headers.get_or("opc-request-id", "emulator-" + std::to_string(served_)));
  log(request, reply.status, note);
  return reply;
}

Reply Emulator::handle_service(const Request& request) {
  if (starts_with(request.path, kComputePrefix)) return compute(request, request.path.substr(std::string(kComputePrefix).size()));
  if (starts_with(request.path, kContainerPrefix)) {
    return container_instances(request, request.path.substr(std::string(kContainerPrefix).size()));
  }
  if (starts_with(request.path, kSecretsPrefix)) return secrets(request, request.path.substr(std::string(kSecretsPrefix).size()));
  return not_implemented(request);
}

nlohmann::json Emulator::current(Resource& resource) {
  nlohmann::json document = resource.document;
  document["lifecycleState"] = resource.lifecycle.state(Clock::now());
  return document;
}

Reply Emulator::compute(const Request& request, const std::string& rest) {
  const std::string id = fdk::protocol::percent_decode(rest);
  auto found = instances_.find(id);
  if (found == instances_.end()) {
    return error_reply(404, "NotAuthorizedOrNotFound", "Authorization failed or requested resource not found.");
  }
  Resource& instance = found->second;
  if (request.method == "GET") return json_reply(200, current(instance));
  if (request.method != "POST") return error_reply(405, "MethodNotAllowed", "use GET or POST");

  const std::string action = query_value(request, "action");
  const std::string state = instance.lifecycle.state(Clock::now());
  const auto delay = settings_.transition_delay;
  const auto now = Clock::now();
  if (action == "START") {
    if (state == "STOPPED") instance.lifecycle.transition(now, "STARTING", "RUNNING", delay);
    else if (state != "RUNNING" && state != "STARTING") return error_reply(409, "IncorrectState", "cannot START an instance in state " + state);
  } else if (action == "STOP" || action == "SOFTSTOP") {
    if (state == "RUNNING") instance.lifecycle.transition(now, "STOPPING", "STOPPED", delay);
    else if (state != "STOPPED" && state != "STOPPING") return error_reply(409, "IncorrectState", "cannot " + action + " an instance in state " + state);
  } else if (action == "RESET" || action == "SOFTRESET") {
    if (state != "RUNNING") return error_reply(409, "IncorrectState", "cannot " + action + " an instance in state " + state);
    instance.lifecycle.transition(now, "STARTING", "RUNNING", delay);
  } else {
    return error_reply(400, "InvalidParameter", "unknown action '" + action + "'; use START, STOP, SOFTSTOP, RESET or SOFTRESET");
  }
  return json_reply(200, current(instance));
}

Reply Emulator::container_instances(const Request& request, const std::string& rest) {
  const auto slash = rest.find('/');
  const std::string id = fdk::protocol::percent_decode(rest.substr(0, slash));
  const std::string action = slash == std::string::npos ? "" : rest.substr(slash);
  auto found = container_instances_.find(id);
  if (found == container_instances_.end()) {
    return error_reply(404, "NotAuthorizedOrNotFound", "Authorization failed or requested resource not found.");
  }
  Resource& instance = found->second;
  if (request.method == "GET" && action.empty()) return json_reply(200, current(instance));
  if (request.method != "POST" || (action != "/actions/start" && action != "/actions/stop")) {
    return not_implemented(request);
  }
  const bool start = action == "/actions/start";
  const std::string state = instance.lifecycle.state(Clock::now());
  const char* from = start ? "INACTIVE" : "ACTIVE";
  if (state != from) {
    return error_reply(409, "Conflict", std::string("cannot ") + (start ? "start" : "stop") + " a container instance in state " + state);
  }
  instance.lifecycle.transition(Clock::now(), "UPDATING", start ? "ACTIVE" : "INACTIVE", settings_.transition_delay);
  Reply reply = json_reply(202, nullptr);
  reply.headers.set("opc-work-request-id", "ocid1.coreservicesworkrequest.oc1..emulator" + std::to_string(served_));
  return reply;
}

Reply Emulator::secrets(const Request& request, const std::string& rest) {
  if (request.method != "GET") return error_reply(405, "MethodNotAllowed", "secret bundles are read with GET");
  const std::string id = fdk::protocol::percent_decode(rest);
  auto found = secrets_.find(id);
  if (found == secrets_.end()) {
    return error_reply(404, "NotAuthorizedOrNotFound", "Authorization failed or requested resource not found.");
  }
  const std::string number = query_value(request, "versionNumber");
  const std::string name = query_value(request, "secretVersionName");
  const std::string stage = query_value(request, "stage").empty() ? "CURRENT" : query_value(request, "stage");
  for (const auto& version : found->second) {
    const bool match = !number.empty() ? std::to_string(version.number) == number
                       : !name.empty() ? version.name == name
                                       : std::find(version.stages.begin(), version.stages.end(), stage) != version.stages.end();
    if (!match) continue;
    nlohmann::json body = {{"secretId", id},
                           {"versionNumber", version.number},
                           {"stages", version.stages},
                           {"secretBundleContent", {{"contentType", "BASE64"}, {"content", version.content_base64}}}};
    if (!version.name.empty()) body["versionName"] = version.name;
    return json_reply(200, body);
  }
  return error_reply(404, "NotAuthorizedOrNotFound", "no version of the secret matches the request");
}

// Instance principal federation: the instance proves itself with its certificate's key and
// registers a session public key; later requests signed with that key and ST$<token> pass.
Reply Emulator::federation(const Request& request) {
  auto reason = signatures_.date_reject_reason(request);
  if (!reason) reason = identity_->federation_reject_reason(request);
  if (reason) return error_reply(401, "NotAuthenticated", *reason);
  const auto body = nlohmann::json::parse(request.body, nullptr, false);
  const auto session_key = body.is_object() && body.contains("publicKey") && body["publicKey"].is_string()
                               ? fdk::encoding::base64_decode(body["publicKey"].get<std::string>())
                               : std::nullopt;
  if (!session_key) return error_reply(400, "InvalidParameter", "the body needs 'publicKey': base64 DER of the session public key");
  try {
    signatures_.trust(fdk::oci::detail::PublicKey::from_der(*session_key, "federation publicKey"));
  } catch (const std::exception&) {
    return error_reply(400, "InvalidParameter", "'publicKey' is not a DER SubjectPublicKeyInfo RSA key");
  }
  return json_reply(200, {{"token", identity_->issue_token(session_token_lifetime_)}});
}

nlohmann::json Emulator::state_json() {
  nlohmann::json state = {{"instances", nlohmann::json::array()}, {"container_instances", nlohmann::json::array()}};
  for (auto& [id, resource] : instances_) state["instances"].push_back(current(resource));
  for (auto& [id, resource] : container_instances_) state["container_instances"].push_back(current(resource));
  state["faults"] = faults_.to_json();
  state["routes"] = routes_.to_json();
  state["trusted_keys"] = signatures_.trusted_keys();
  state["instance_identity"] = identity_ ? nlohmann::json{{"tenancy", identity_->tenancy()}} : nlohmann::json(nullptr);
  return state;
}

Reply Emulator::handle_control(const Request& request) {
  const std::string what = request.path.substr(std::string(kControlPrefix).size());
  try {
    if (what == "faults" && request.method == "POST") {
      const auto body = nlohmann::json::parse(request.body);
      std::lock_guard<std::mutex> lock(mutex_);
      for (const auto& entry : body.is_array() ? body : nlohmann::json::array({body})) faults_.add(Fault::from_json(entry));
      return json_reply(201, faults_.to_json());
    }
    if (what == "faults" && request.method == "DELETE") {
      std::lock_guard<std::mutex> lock(mutex_);
      faults_.clear();
      return json_reply(204, nullptr);
    }
    if (what == "requests" && request.method == "GET") {
      std::lock_guard<std::mutex> lock(mutex_);
      return json_reply(200, nlohmann::json(log_));
    }
    if (what == "requests" && request.method == "DELETE") {
      std::lock_guard<std::mutex> lock(mutex_);
      log_.clear();
      return json_reply(204, nullptr);
    }
    if (what == "state" && request.method == "GET") {
      std::lock_guard<std::mutex> lock(mutex_);
      return json_reply(200, state_json());
    }
    if (what == "state" && request.method == "POST") {
      load(nlohmann::json::parse(request.body));
      std::lock_guard<std::mutex> lock(mutex_);
      return json_reply(200, state_json());
    }
  } catch (const std::exception& error) {
    return error_reply(400, "InvalidParameter", error.what());
  }
  return error_reply(404, "NotFound", "control endpoints: POST/DELETE /_emulator/faults, GET/DELETE /_emulator/requests, GET/POST /_emulator/state");
}

}  // namespace oci_emulator
