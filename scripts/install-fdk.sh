#!/usr/bin/env bash
# Builds fdk-cpp from a source tree and installs it (headers, libraries, fdk-cpp.pc,
# fdk-invoke) plus the function tools (fdk-build-function, fdk-new-function and the
# template they use) under a prefix.
#
# Dockerfile.build runs this to make the build image; scripts/check-packaging.sh runs
# the same command with a scratch prefix, so the two cannot drift.
#
#   scripts/install-fdk.sh SOURCE_DIR PREFIX [BUILD_DIR]
#
# The library is built in release mode without the test suite (CI runs that separately), and
# only what is installed is compiled (the libraries and fdk-invoke, not the examples).
set -euo pipefail

if (($# < 2 || $# > 3)); then
  echo "usage: $0 SOURCE_DIR PREFIX [BUILD_DIR]" >&2
  exit 2
fi
src=$(cd "$1" && pwd)
prefix=$2
build=${3:-$(mktemp -d "${TMPDIR:-/tmp}/fdk-install.XXXXXX")}

meson setup "$build" "$src" \
  --prefix "$prefix" \
  --buildtype release \
  -Dtests=disabled \
  -Db_ndebug=true
# The installed targets, as build-directory paths ninja takes.
mapfile -t installed < <(meson introspect --targets "$build" | python3 -c '
import json, os, sys
build = os.path.realpath(sys.argv[1])
for target in json.load(sys.stdin):
    if target["installed"]:
        for path in target["filename"]:
            print(os.path.relpath(os.path.realpath(path), build))' "$build")
((${#installed[@]})) || { echo "install-fdk: meson lists nothing to install in $build" >&2; exit 1; }
ninja -C "$build" "${installed[@]}"
meson install -C "$build" --quiet --no-rebuild

# The function tools are scripts and data files; they are installed by copying so the
# top-level meson.build stays about the library.
share="$prefix/share/fdk-cpp"
install -d "$prefix/bin" "$share/templates/function" "$share/examples/hello"
install -m 0755 "$src/scripts/fdk-build-function" "$src/scripts/fdk-lambda-zip" "$src/scripts/fdk-new-function" \
  "$prefix/bin/"
install -m 0644 "$src"/templates/function/* "$share/templates/function/"
install -m 0644 "$src/fdk/hot_path.ld" "$share/"  # fdk-build-function links with it
for f in "$src"/examples/hello/*; do
  case $(basename "$f") in
    *.cpp | *.hpp | meson.build) install -m 0644 "$f" "$share/examples/hello/" ;;
  esac
done
version=$(meson introspect --projectinfo "$build" | python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])')
echo "$version" > "$share/VERSION"
echo "install-fdk: fdk-cpp $version installed under $prefix"
