#!/usr/bin/env bash
# Runs the walk-throughs of docs/ against a build directory, as a reader would type them:
#   - docs/testing.md: fdk-new-function greeter, its build and unit test, the fdk-invoke calls;
#   - docs/getting-started.md: a generated function configured without doctest warns;
#   - docs/oci.md: the "A first call" example compiled with the build tree's pkg-config recipe.
# The build tree stands in for an installed fdk-cpp: its meson-uninstalled/*.pc files on
# PKG_CONFIG_PATH, fdk-invoke and fdk-new-function on PATH.
#
#   scripts/check-docs.sh [BUILD_DIR]     (default build-test, what scripts/test.sh builds)
#
# The last line is "N passed, N failed"; the exit status is non-zero when anything failed.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$(cd "${1:-$repo/build-test}" && pwd) || { echo "check-docs: no build directory ${1:-build-test}" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/fdk-check-docs.XXXXXX")
trap 'rm -rf "$work"' EXIT

mkdir "$work/bin"
ln -s "$build/tools/invoker/fdk-invoke" "$work/bin/fdk-invoke"
export PATH="$work/bin:$repo/scripts:$PATH"   # fdk-invoke, fdk-new-function
unset PKG_CONFIG_PATH

# shellcheck source-path=SCRIPTDIR source=lib/checks.sh
source "$repo/scripts/lib/checks.sh"

# expect TEXT COMMAND...: COMMAND succeeds and its output contains TEXT.
expect() {
  local text=$1 out
  shift
  out=$("$@" 2>&1) || { printf '%s\n' "$out"; return 1; }
  printf '%s\n' "$out"
  grep -qF -- "$text" <<< "$out" || { echo "expected to see: $text"; return 1; }
}

# docs/testing.md, "Over the socket: fdk-invoke", command by command.
testing_walkthrough() {
  cd "$work" || return
  fdk-new-function greeter && cd greeter || return
  PKG_CONFIG_PATH=$build/meson-uninstalled meson setup build || return
  meson compile -C build || return
  expect "1/1 greeter" meson test -C build || return
  expect '{"message":"Hello Ada"}' fdk-invoke -d '{"name":"Ada"}' -- build/greeter || return
  printf '{"name":"file"}' > body.json
  expect '{"message":"Hello file"}' fdk-invoke -i -H 'X-Request-Id: 42' -d @body.json -- build/greeter || return
  expect 'Hello World' fdk-invoke --gateway GET 'http://localhost/t/app/greeter?who=Bob' \
    --gateway-header 'Accept: text/plain' -- build/greeter || return
  local repeated
  repeated=$(fdk-invoke -n 3 -d '{"name":"again"}' -- build/greeter) || return
  [[ $(grep -c 'Hello again' <<< "$repeated") -eq 3 ]] || { echo "expected 3 answers: $repeated"; return 1; }
}
check "docs/testing.md: fdk-new-function greeter, build, test, fdk-invoke calls" testing_walkthrough

# docs/getting-started.md: without doctest, the generated meson.build says the test is not built.
# Debian's doctest is found through CMake only, so a native file without CMake hides it.
template_without_doctest() {
  cd "$work" || return
  fdk-new-function lonely || return
  printf "[binaries]\ncmake = 'false'\n" > no-cmake.ini
  PKG_CONFIG_PATH=$build/meson-uninstalled expect "doctest was not found, so the unit test (lonely_test.cpp) is not built" \
    meson setup --native-file no-cmake.ini lonely/build lonely
}
check "template: meson setup without doctest warns that the test is not built" template_without_doctest

# docs/oci.md, "Linking" and "A first call": the example compiles and links with the recipe.
oci_first_call() {
  cd "$work" || return
  # The first cpp block under the heading.
  awk '/^## A first call/ { section = 1 } section && /^```$/ && inside { exit }
       inside { print } section && /^```cpp$/ { inside = 1 }' "$repo/docs/oci.md" > my_func.cpp
  [[ -s my_func.cpp ]] || { echo "no cpp block under '## A first call' in docs/oci.md"; return 1; }
  local PKG_CONFIG_PATH=$build/meson-uninstalled
  export PKG_CONFIG_PATH
  pkg-config --cflags --libs fdk-cpp-oci || return
  # shellcheck disable=SC2046 # the flags are words
  c++ -std=c++17 my_func.cpp -o my_func $(pkg-config --cflags --libs fdk-cpp-oci) || return
  [[ -x my_func ]]
}
check "docs/oci.md: the first call builds with the meson-uninstalled recipe" oci_first_call

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
