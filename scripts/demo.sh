#!/usr/bin/env bash
# The main job: on a fresh Debian 12, install what is needed, build the hello function and the
# local invoker (only those two programs), then run examples/hello as a hot function on a
# temporary socket and invoke it through the invoker (fdk-invoke plays the Fn agent), printing
# the response.
#
#   scripts/demo.sh                  build directory ./build
#   BUILD_DIR=build-x scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."

build=${BUILD_DIR:-build}
started=$SECONDS
echo "== set-up (apt packages)"
scripts/setup.sh
echo "== build examples/hello/hello and tools/invoker/fdk-invoke in $build"
[[ -f $build/build.ninja ]] || meson setup "$build" >/dev/null
ninja -C "$build" examples/hello/hello tools/invoker/fdk-invoke
echo "== ready after $((SECONDS - started))s"

echo
echo "== fdk-invoke -i -t application/json -d '{\"name\":\"Fn\"}' -- $build/examples/hello/hello"
"$build"/tools/invoker/fdk-invoke -i -t application/json -d '{"name":"Fn"}' -- "$build"/examples/hello/hello
