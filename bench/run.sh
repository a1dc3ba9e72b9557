#!/bin/sh
# Runs the hello-function benchmark against the epoll reference and prints the table.
#
#   bench/run.sh [BUILD_DIR] [fdk_bench options...]
#
# BUILD_DIR defaults to build-bench; it is set up as a release build if it does not exist,
# and the benchmark's targets are (re)built. Options go to fdk_bench, e.g. --placement same,
# --quick, --calls 40000, --seconds 4 (see bench/fdk_bench.cpp or docs/benchmarks.md).
# `meson test -C BUILD_DIR --benchmark` runs the same binary with the default options.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(dirname "$here")
build="build-bench"
case "${1:-}" in
  -*|"") ;;
  *) build=$1; shift ;;
esac
case "$build" in
  /*) ;;
  *) build="$source_dir/$build" ;;
esac
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$source_dir" -Dbuildtype=release
fi
ninja -C "$build" bench/fdk_bench bench/epoll_reference bench/fixed_answer examples/hello/hello >/dev/null
exec "$build/bench/fdk_bench" \
  --ours "$build/examples/hello/hello" \
  --reference "$build/bench/epoll_reference" \
  --fixed-answer "$build/bench/fixed_answer" "$@"
