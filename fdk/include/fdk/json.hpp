// Typed JSON handlers: parse the body into `In`, serialise the returned `Out`.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

#include "fdk/detail/json_body.hpp"
#include "fdk/http_error.hpp"
#include "fdk/run.hpp"

namespace fdk {

/// Wraps `fn(Context&, const In&) -> Out` as a Handler. The body is parsed as JSON and
/// converted with nlohmann's `from_json`; a body that is not JSON, or does not fit `In`,
/// answers the gateway caller 400 with a message saying what was wrong and naming the
/// field ("field 'lines[0].quantity': expected a number, got a string"). `Out` is
/// serialised with `to_json`; return `fdk::Response` instead to control status and headers.
///
/// @code
///   struct Greeting { std::string name; };
///   NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Greeting, name)
///   auto handler = fdk::json_handler<Greeting>([](fdk::Context&, const Greeting& in) {
///     return nlohmann::json{{"message", "Hello " + in.name}};
///   });
/// @endcode
template <class In, class Fn>
Handler json_handler(Fn fn) {
  return [fn = std::move(fn)](Context& ctx, std::string_view body) -> Response {
    nlohmann::json document = detail::parse_json_body(body);
    In input{};
    try {
      input = document.template get<In>();
    } catch (const nlohmann::json::exception& error) {
      detail::throw_body_shape_error(document, error, [](const nlohmann::json& probe) {
        In ignored = probe.template get<In>();
        static_cast<void>(ignored);
      });
    }
    using Out = std::invoke_result_t<Fn&, Context&, const In&>;
    if constexpr (std::is_same_v<Out, Response>) {
      return fn(ctx, input);
    } else {
      return Response::json(nlohmann::json(fn(ctx, input)));
    }
  };
}

/// `fdk::run(fdk::json_handler<In>(fn), options)`.
template <class In, class Fn>
[[nodiscard]] int run_json(Fn fn, RunOptions options = {}) {
  return run(json_handler<In>(std::move(fn)), options);
}

}  // namespace fdk
