#include "oci/auth/signing_string.hpp"

#include <algorithm>
#include <cctype>

namespace fdk::oci::detail {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<std::string> header_line_value(const SignableRequest& request, std::string_view name) {
  if (name == "(request-target)") return request_target(request.method, request.path_and_query);
  if (name == "host" && !request.host.empty()) return request.host;
  return request.headers.get(name);
}

std::vector<std::string> split_on_spaces(std::string_view text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find(' ', start), text.size());
    if (end > start) parts.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

void assign_parameter(SignatureParameters& parameters, std::string_view name, std::string value) {
  if (name == "version") parameters.version = std::move(value);
  else if (name == "keyId") parameters.key_id = std::move(value);
  else if (name == "algorithm") parameters.algorithm = std::move(value);
  else if (name == "headers") parameters.headers = split_on_spaces(value);
  else if (name == "signature") parameters.signature = std::move(value);
}

}  // namespace

bool method_signs_body(std::string_view method) {
  const std::string m = lower(method);
  return m == "post" || m == "put" || m == "patch";
}

std::vector<std::string> headers_to_sign(std::string_view method, std::string_view date_header) {
  std::vector<std::string> names = {std::string(date_header), "(request-target)", "host"};
  if (method_signs_body(method)) {
    names.insert(names.end(), {"content-length", "content-type", "x-content-sha256"});
  }
  return names;
}

std::string request_target(std::string_view method, std::string_view path_and_query) {
  return lower(method) + " " + std::string(path_and_query);
}

std::optional<std::string> build_signing_string(const SignableRequest& request, const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    const std::string key = lower(name);
    auto value = header_line_value(request, key);
    if (!value) return std::nullopt;
    if (!out.empty()) out.push_back('\n');
    out += key;
    out += ": ";
    out += *value;
  }
  return out;
}

std::string format_authorization(const SignatureParameters& parameters) {
  std::string names;
  for (const auto& name : parameters.headers) {
    if (!names.empty()) names.push_back(' ');
    names += name;
  }
  return "Signature version=\"" + parameters.version + "\",keyId=\"" + parameters.key_id + "\",algorithm=\"" +
         parameters.algorithm + "\",headers=\"" + names + "\",signature=\"" + parameters.signature + "\"";
}

std::optional<SignatureParameters> parse_authorization(std::string_view header_value) {
  constexpr std::string_view kScheme = "Signature ";
  if (header_value.substr(0, kScheme.size()) != kScheme) return std::nullopt;
  std::string_view rest = header_value.substr(kScheme.size());
  SignatureParameters parameters;
  while (!rest.empty()) {
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == ',')) rest.remove_prefix(1);
    if (rest.empty()) break;
    const std::size_t equals = rest.find("=\"");
    if (equals == std::string_view::npos || equals == 0) return std::nullopt;
    const std::string_view name = rest.substr(0, equals);
    rest.remove_prefix(equals + 2);
    const std::size_t close = rest.find('"');
    if (close == std::string_view::npos) return std::nullopt;
    assign_parameter(parameters, name, std::string(rest.substr(0, close)));
    rest.remove_prefix(close + 1);
  }
  return parameters;
}

}  // namespace fdk::oci::detail
