#include "httphost/cloud_event.hpp"


#include <nlohmann/json.hpp>

#include "ascii.hpp"

namespace fdk::httphost {

namespace {

constexpr std::string_view kHeaderPrefix = "ce-";
constexpr std::string_view kStructuredType = "application/cloudevents+json";

// Puts one context attribute where it belongs; returns false for an extension.
bool set_known_attribute(CloudEvent& event, const std::string& name, std::string value) {
  std::string* field = name == "id"                ? &event.id
                       : name == "source"          ? &event.source
                       : name == "type"            ? &event.type
                       : name == "specversion"     ? &event.specversion
                       : name == "time"            ? &event.time
                       : name == "subject"         ? &event.subject
                       : name == "dataschema"      ? &event.dataschema
                       : name == "datacontenttype" ? &event.datacontenttype
                                                   : nullptr;
  if (!field) return false;
  *field = std::move(value);
  return true;
}

bool has_required_attributes(const CloudEvent& event) {
  return !event.id.empty() && !event.source.empty() && !event.specversion.empty() && !event.type.empty();
}

std::optional<CloudEvent> binary_event(const Headers& headers, std::string_view content_type) {
  CloudEvent event;
  for (const auto& [name, value] : headers) {
    if (name.size() <= kHeaderPrefix.size() || !iequals(std::string_view(name).substr(0, 3), kHeaderPrefix)) continue;
    std::string attribute = detail::ascii_lower(std::string_view(name).substr(kHeaderPrefix.size()));
    if (attribute == "datacontenttype") continue;  // binary mode: Content-Type is the data's type
    if (!set_known_attribute(event, attribute, value)) event.extensions.emplace_back(attribute, value);
  }
  if (!has_required_attributes(event)) return std::nullopt;
  event.datacontenttype = std::string(content_type);
  return event;
}

std::string attribute_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<CloudEvent> structured_event(std::string_view body) {
  auto document = nlohmann::json::parse(body, nullptr, false);
  if (!document.is_object()) return std::nullopt;
  for (const char* required : {"id", "source", "specversion", "type"}) {
    auto it = document.find(required);
    if (it == document.end() || !it->is_string()) return std::nullopt;
  }
  CloudEvent event;
  event.structured = true;
  for (const auto& [name, value] : document.items()) {
    if (name == "data" || name == "data_base64") {
      event.data = attribute_text(value);
    } else if (!set_known_attribute(event, name, attribute_text(value))) {
      event.extensions.emplace_back(name, attribute_text(value));
    }
  }
  if (!has_required_attributes(event)) return std::nullopt;
  return event;
}

}  // namespace

std::optional<CloudEvent> cloud_event_of(const Headers& headers, std::string_view content_type,
                                         std::string_view body) {
  // The media type may carry parameters: application/cloudevents+json; charset=utf-8.
  std::string media_type = detail::ascii_lower(content_type.substr(0, content_type.find(';')));
  while (!media_type.empty() && media_type.back() == ' ') media_type.pop_back();
  if (media_type == kStructuredType) return structured_event(body);
  return binary_event(headers, content_type);
}

}  // namespace fdk::httphost
