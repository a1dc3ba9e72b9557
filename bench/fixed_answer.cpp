// The FDK alone: a handler that answers the epoll reference's fixed hello without reading the
// request (no JSON). fdk_bench --fixed-answer counts its instructions per call next to
// examples/hello's, so the runtime's own share is known apart from the handler's JSON work.
#include <fdk/fdk.hpp>

int main() {
  return fdk::run([](fdk::Context&, std::string_view) {
    return fdk::Response::text(R"({"message":"Hello Bench"})").set_content_type("application/json");
  });
}
