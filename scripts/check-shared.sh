#!/usr/bin/env bash
# CI check of fdk-cpp built as shared libraries (static is the default, checked everywhere else):
#   - builds with -Ddefault_library=shared and -Werror and runs the whole test suite against
#     libfdk.so, libfdk-oci.so and libfdk-testing.so,
#   - checks the exported ABI: every exported symbol is fdk's own (no nlohmann, llhttp or libuv
#     symbol, nothing outside namespace fdk) and no symbol is defined by two of the libraries,
#   - installs that build (BUILD_DIR/prefix) and builds, tests and invokes the CMake, Makefile
#     and meson-subproject consumers against it.
#
#   scripts/check-shared.sh [BUILD_DIR]     (default: build-shared)
#
# Runs on Debian 12 after scripts/setup.sh. The last line is "N passed, N failed".
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-build-shared}
[[ $build == /* ]] || build=$repo/$build
work=$(mktemp -d "${TMPDIR:-/tmp}/fdk-check-shared.XXXXXX")
trap 'rm -rf "$work"' EXIT
unset PKG_CONFIG_PATH

# shellcheck source-path=SCRIPTDIR source=lib/checks.sh
source "$repo/scripts/lib/checks.sh"
# shellcheck source-path=SCRIPTDIR source=lib/consumers.sh
source "$repo/scripts/lib/consumers.sh"
started=$SECONDS
version=$(sed -n "s/^[[:space:]]*version:[[:space:]]*'\([0-9][0-9.]*\)'.*/\1/p" "$repo/meson.build" | head -n1)
prefix=$build/prefix
library_kind=shared

build_shared() {
  [[ -f $build/build.ninja ]] || meson setup "$build" "$repo" -Ddefault_library=shared -Dwerror=true || return 1
  # Installed inside the build directory: the consumers need the headers, libraries and .pc files.
  meson configure "$build" --prefix "$prefix" || return 1
  [[ $(meson introspect --buildoptions "$build" | python3 -c '
import json, sys
print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "default_library"))') == shared ]] ||
    { echo "$build is not configured with default_library=shared"; return 1; }
  ninja -C "$build"
}
check "build: -Ddefault_library=shared -Dwerror=true" build_shared

check "tests: the whole suite against the shared libraries" meson test -C "$build" --print-errorlogs --no-rebuild

# The shared libraries this build made (libfdk, libfdk-oci when OpenSSL is there, libfdk-testing).
mapfile -t libraries < <(find "$build/fdk" -name 'libfdk*.so' -type f -o -name 'libfdk*.so.*' -type f | sort)

# exported LIB: the dynamic symbols LIB defines, demangled, one "TYPE NAME" per line.
exported() { nm -D --defined-only --demangle "$1" | awk '{ $1 = ""; sub(/^ /, ""); print }'; }

abi_is_fdk_only() {
  local lib status=0 foreign
  ((${#libraries[@]} >= 2)) || { echo "expected libfdk.so and libfdk-testing.so under $build/fdk"; return 1; }
  for lib in "${libraries[@]}"; do
    echo "$(basename "$lib"): $(exported "$lib" | wc -l) exported symbols"
    # Third-party types in an exported signature tie users to that library's version.
    if exported "$lib" | grep -E 'nlohmann|llhttp|uv_'; then
      echo "$(basename "$lib") exports third-party symbols (above)"; status=1
    fi
    # Everything else exported must be fdk's: its namespace, its typeinfo and vtables
    # (fdk/exported-symbols.map keeps the standard library's instantiations local).
    foreign=$(exported "$lib" | awk '{ $1 = ""; sub(/^ /, ""); print }' |
      grep -v -E '^((typeinfo name|typeinfo|vtable|VTT|non-virtual thunk) (for|to) )?fdk::')
    if [[ -n $foreign ]]; then
      echo "$(basename "$lib") exports symbols outside namespace fdk:"; echo "$foreign" | head -20; status=1
    fi
  done
  return $status
}
check "ABI: only fdk's own symbols exported, no nlohmann/llhttp/libuv" abi_is_fdk_only

defined_once() {
  # Strong definitions (code and data) only: an inline member of an exported class is a weak
  # symbol that every library using it may carry, and the dynamic linker picks one.
  local lib
  for lib in "${libraries[@]}"; do
    nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBR]$/ { print $3 }' | sort -u | sed "s|\$| $(basename "$lib")|"
  done | sort > "$work/definitions.txt"
  local twice
  twice=$(awk '{ print $1 }' "$work/definitions.txt" | uniq -d)
  if [[ -n $twice ]]; then
    echo "defined by more than one library:"
    grep -F -f <(echo "$twice") "$work/definitions.txt" | c++filt | head -20
    return 1
  fi
  echo "$(wc -l < "$work/definitions.txt") strong definitions, each in one library"
}
check "ABI: no symbol defined by two of the shared libraries" defined_once

installed_shared() {
  local status=0
  rm -rf "$prefix"
  meson install -C "$build" --quiet --no-rebuild || return 1
  ls "$prefix"/include/fdk/fdk.hpp "$prefix"/include/fdk/detail/json_body.hpp "$prefix"/bin/fdk-invoke \
    "$prefix"/lib/*/libfdk.so* "$prefix"/lib/*/libfdk-testing.so* || status=1
  if compgen -G "$prefix/lib/*/libfdk*.a" > /dev/null; then echo "static archives installed by a shared install"; status=1; fi
  return $status
}
check "install: headers, libfdk.so and libfdk-testing.so, no static archives" installed_shared

# The installed fdk-invoke and the consumers load libfdk*.so from the prefix.
LD_LIBRARY_PATH=$(dirname "$(find "$prefix" -name 'libfdk.so' -print -quit)")
export LD_LIBRARY_PATH
check_consumers

echo "check-shared: $((SECONDS - started)) s"
echo "$passed passed, $failed failed"
((failed == 0))
