// Typed JSON handlers' body handling, inline so that no exported symbol of the fdk
// libraries names an nlohmann type: parsing a body with a depth limit, and explaining a body
// that does not convert to the handler's input type as a sentence naming the field. Included
// by fdk/json.hpp; not an API of its own.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fdk/http_error.hpp"

namespace fdk {

/// The deepest nesting of objects and arrays a typed JSON handler accepts in a body.
inline constexpr int kMaxJsonDepth = 256;

namespace detail {

/// Repeats the handler's conversion on a document, throwing what it throws.
using JsonConversion = std::function<void(const nlohmann::json&)>;

namespace json_body {

using Json = nlohmann::json;

// nlohmann's messages start with "[json.exception.type_error.302] "; the rest reads well.
inline std::string without_library_prefix(std::string_view what) {
  if (what.rfind("[json.exception.", 0) == 0) {
    auto end = what.find("] ");
    if (end != std::string_view::npos) what.remove_prefix(end + 2);
  }
  return std::string(what);
}

inline std::string with_article(std::string_view type_name) {
  if (type_name == "null") return "null";
  if (type_name == "boolean") return "true or false";
  if (type_name == "array" || type_name == "object") return "an " + std::string(type_name);
  return "a " + std::string(type_name);
}

// One node of the document: where it is (for editing a copy) and how to name it for a person.
struct Node {
  Json::json_pointer pointer;
  std::string name;  // "lines[0].quantity"; empty for the whole body
};

inline std::string child_name(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

using CandidateTest = bool (*)(const Json& value, const std::string& argument);

// The nodes passing `test`, in document order, at most `limit` of them.
inline void collect_candidates(const Json& value, const Node& here, CandidateTest test, const std::string& argument,
                        std::size_t limit, std::vector<Node>& out) {
  if (out.size() >= limit) return;
  if (test(value, argument)) out.push_back(here);
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      collect_candidates(child, Node{here.pointer / key, child_name(here.name, key)}, test, argument, limit, out);
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      Node child{here.pointer / i, here.name + "[" + std::to_string(i) + "]"};
      collect_candidates(value[i], child, test, argument, limit, out);
    }
  }
}

// What the conversion says about `document`: nothing when it succeeds.
inline std::optional<std::string> conversion_error(const JsonConversion& convert, const Json& document) {
  try {
    convert(document);
    return std::nullopt;
  } catch (const Json::exception& error) {
    return without_library_prefix(error.what());
  } catch (const std::exception& error) {
    return std::string(error.what());
  } catch (...) {
    return std::string("an exception");
  }
}

// A value no JSON text produces: reading it as anything fails with "..., but is binary".
inline Json sentinel() { return Json::binary(std::vector<std::uint8_t>{}); }

inline std::size_t count_nodes(const Json& value) {
  std::size_t count = 1;
  if (value.is_structured()) {
    for (const auto& child : value) count += count_nodes(child);
  }
  return count;
}

// Probing converts the body once per candidate: large bodies get fewer candidates, so
// explaining a bad body never costs much more than a few million node visits.
inline std::size_t probe_budget(const Json& document) {
  constexpr std::size_t kWork = 4'000'000;
  return std::clamp<std::size_t>(kWork / count_nodes(document), 1, 512);
}

// Candidates to probe, in document order.
inline std::vector<Node> probe_candidates(const Json& document, CandidateTest test, const std::string& argument) {
  std::vector<Node> candidates;
  collect_candidates(document, Node{Json::json_pointer(), ""}, test, argument, probe_budget(document), candidates);
  return candidates;
}

// "type must be string, but is number": the node that was read as a string is the one that
// fails with "type must be string, but is binary" when replaced by the sentinel. Nodes read
// correctly before it fail differently (they were read as their own type).
// `wanted` is what reading the sentinel where the node was gives.
inline std::optional<std::string> wrong_type_field(const Json& document, const std::string& wanted,
                                            const std::string& actual, const JsonConversion& convert) {
  auto has_type = [](const Json& value, const std::string& type) { return value.type_name() == type; };
  Json work = document;
  for (const Node& node : probe_candidates(document, has_type, actual)) {
    Json original = std::exchange(work[node.pointer], sentinel());
    auto error = conversion_error(convert, work);
    work[node.pointer] = std::move(original);
    if (error == wanted) return node.name;
  }
  return std::nullopt;
}

// "key 'quantity' not found": the object that was missing it is the one where adding the key
// changes what the conversion says.
inline std::optional<std::string> missing_key_owner(const Json& document, const std::string& key, const std::string& error,
                                             const JsonConversion& convert) {
  auto lacks_key = [](const Json& value, const std::string& name) { return value.is_object() && !value.contains(name); };
  Json work = document;
  for (const Node& node : probe_candidates(document, lacks_key, key)) {
    work[node.pointer][key] = sentinel();
    auto changed = conversion_error(convert, work);
    work[node.pointer].erase(key);
    if (changed != error) return node.name;
  }
  return std::nullopt;
}

// The text between `open` and `close` after `from` in `text`, or empty.
inline std::string between(const std::string& text, std::string_view open, std::string_view close) {
  auto start = text.find(open);
  if (start == std::string::npos) return {};
  start += open.size();
  auto end = close.empty() ? text.size() : text.find(close, start);
  if (end == std::string::npos) return {};
  return text.substr(start, end - start);
}

inline std::string wrong_type_sentence(const std::optional<std::string>& field, const std::string& expected,
                                const std::string& actual) {
  std::string where = !field ? "a field" : field->empty() ? "the body" : "field '" + *field + "'";
  return where + ": expected " + with_article(expected) + ", got " + with_article(actual) + ".";
}

inline std::string explain_shape(const Json& document, const Json::exception& error, const JsonConversion& convert) {
  std::string text = without_library_prefix(error.what());
  if (error.id == 302 && text.rfind("type must be ", 0) == 0) {
    std::string expected = between(text, "type must be ", ", but is ");
    std::string actual = between(text, ", but is ", "");
    auto field = wrong_type_field(document, "type must be " + expected + ", but is binary", actual, convert);
    return wrong_type_sentence(field, expected, actual);
  }
  if (error.id == 304 && text.rfind("cannot use at() with ", 0) == 0) {  // a struct read from a non-object
    std::string actual = between(text, "cannot use at() with ", "");
    auto field = wrong_type_field(document, "cannot use at() with binary", actual, convert);
    return wrong_type_sentence(field, "object", actual);
  }
  if (error.id == 403 && text.rfind("key '", 0) == 0) {
    std::string key = between(text, "key '", "' not found");
    auto owner = missing_key_owner(document, key, text, convert);
    std::string field = owner && !owner->empty() ? *owner + "." + key : key;
    return "field '" + field + "' is missing.";
  }
  return text + (text.empty() || text.back() == '.' ? "" : ".");
}

// "parse error at line 1, column 2: syntax error while parsing ..." becomes
// " (line 1, column 2): syntax error while parsing ...".
inline std::string explain_parse_error(const Json::parse_error& error) {
  std::string text = without_library_prefix(error.what());
  std::string position = between(text, "parse error at ", ": ");
  std::string detail = position.empty() ? ": " + text : " (" + position + "): " + text.substr(text.find(": ") + 2);
  return detail + (detail.back() == '.' ? "" : ".");
}

}  // namespace json_body

/// Parses a request body as JSON; throws HttpError(400) with a clear message when it is not
/// (or nests deeper than kMaxJsonDepth).
inline nlohmann::json parse_json_body(std::string_view body) {
  // Copying, converting and explaining a document recurse once per level; a body of a
  // million '[' must get a 400, not overflow the stack.
  struct TooDeep {};
  auto limit_depth = [](int depth, nlohmann::json::parse_event_t event, nlohmann::json&) {
    bool opens = event == nlohmann::json::parse_event_t::object_start || event == nlohmann::json::parse_event_t::array_start;
    if (opens && depth >= kMaxJsonDepth) throw TooDeep{};
    return true;
  };
  try {
    return nlohmann::json::parse(body, limit_depth);
  } catch (const TooDeep&) {
    throw HttpError(400, "The request body nests objects and arrays more than " + std::to_string(kMaxJsonDepth) +
                             " levels deep; this function accepts at most that.");
  } catch (const nlohmann::json::parse_error& error) {
    if (body.empty()) throw HttpError(400, "The request body is empty; this function expects a JSON document.");
    throw HttpError(400, "The request body is not valid JSON" + json_body::explain_parse_error(error));
  }
}

/// Explains why `document` does not convert to the handler's input type (`error`) as an
/// HttpError(400) naming the field; `convert` is tried on altered copies to find it.
[[noreturn]] inline void throw_body_shape_error(const nlohmann::json& document, const nlohmann::json::exception& error,
                                                const JsonConversion& convert) {
  throw HttpError(400, "The request body does not have the expected shape: " +
                           json_body::explain_shape(document, error, convert));
}

}  // namespace detail
}  // namespace fdk
