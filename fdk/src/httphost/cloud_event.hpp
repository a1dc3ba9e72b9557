// CloudEvents over HTTP (cloudevents/spec http-protocol-binding): binary mode (`ce-*` headers)
// and structured mode (an `application/cloudevents+json` body). No I/O.
#pragma once

#include <optional>
#include <string_view>

#include "fdk/context.hpp"

namespace fdk::httphost {

/// The event a request carries, or nothing. Binary mode needs `ce-id`, `ce-source`,
/// `ce-specversion` and `ce-type`; structured mode a JSON object with `id`, `source`,
/// `specversion` and `type` as strings. Anything less is not an event (the handler still runs
/// and sees the headers and body as they are).
[[nodiscard]] std::optional<CloudEvent> cloud_event_of(const Headers& headers, std::string_view content_type,
                                                       std::string_view body);

}  // namespace fdk::httphost
