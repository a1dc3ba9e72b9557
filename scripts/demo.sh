#!/usr/bin/env bash
# The main job: on a fresh Debian 12, install what is needed, build fdk-cpp, then run
# examples/hello as a hot function on a temporary socket and invoke it through the local
# invoker (fdk-invoke plays the Fn agent), printing the response.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh build >/dev/null

echo "== fdk-invoke -i -d '{\"name\":\"Fn\"}' -- build/examples/hello/hello"
build/tools/invoker/fdk-invoke -i -t application/json -d '{"name":"Fn"}' -- build/examples/hello/hello
