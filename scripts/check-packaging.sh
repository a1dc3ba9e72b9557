#!/usr/bin/env bash
# CI check of fdk-cpp's packaging, without a Docker engine:
#   - lints every Dockerfile (and proves the linter rejects broken ones),
#   - keeps examples/hello and the function template identical,
#   - runs the init image's entry point and checks its tar against the fn CLI's rules,
#   - replays Dockerfile.build into a scratch prefix and the function Dockerfiles' build
#     steps against it (dynamic and static), then runs the staged binaries,
#   - builds a scaffolded function, a CMake project, a plain Makefile and a meson
#     subproject consumer against this checkout, runs their unit tests and invokes them.
#
#   scripts/check-packaging.sh [--keep]      (--keep leaves the scratch directory behind)
#
# Runs on Debian 12 after scripts/setup.sh. The last line is "N passed, N failed"; the exit
# status is non-zero when anything failed.
set -uo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
keep=false
[[ ${1:-} == --keep ]] && keep=true
work=$(mktemp -d "${TMPDIR:-/tmp}/fdk-check-packaging.XXXXXX")
cleanup() {
  if $keep; then echo "scratch directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
unset PKG_CONFIG_PATH

# shellcheck source-path=SCRIPTDIR source=lib/checks.sh
source "$repo/scripts/lib/checks.sh"
# shellcheck source-path=SCRIPTDIR source=lib/consumers.sh
source "$repo/scripts/lib/consumers.sh"
started=$SECONDS

dockerfile_check() { python3 "$repo/tests/packaging/dockerfile_check.py" "$@"; }
new_function() { "$repo/scripts/fdk-new-function" "$@"; }
version=$(sed -n "s/^[[:space:]]*version:[[:space:]]*'\([0-9][0-9.]*\)'.*/\1/p" "$repo/meson.build" | head -n1)
prefix=$work/prefix

# ---------------------------------------------------------------------------- static checks

shell_scripts() {
  shellcheck -x "$repo/scripts/check-packaging.sh" "$repo/scripts/install-fdk.sh" \
    "$repo/scripts/fdk-build-function" "$repo/scripts/fdk-lambda-zip" "$repo/scripts/fdk-new-function" \
    "$repo/templates/init-image/fdk-init"
}
check "shellcheck: packaging scripts" shell_scripts

lint_all() {
  local out status=0
  out=$(dockerfile_check lint "$repo/Dockerfile.build" --kind build) || status=1
  echo "$out"
  for dockerfile in "$repo"/examples/*/Dockerfile; do
    for link in dynamic static; do
      out=$(dockerfile_check lint "$dockerfile" --kind function --arg LINK=$link) || status=1
      echo "$out"
    done
  done
  out=$(dockerfile_check lint "$repo/templates/init-image/Dockerfile" --kind init) || status=1
  echo "$out"
  return $status
}
check "lint: Dockerfile.build, every examples/*/Dockerfile (both LINKs), init image" lint_all

# Each mutant of the function Dockerfile breaks one rule; the linter must reject every one.
lint_rejects_mutants() {
  local source=$repo/examples/hello/Dockerfile status=0 label mutant
  declare -A mutants=(
    ["VOLUME"]='s|^USER 1000:1000$|VOLUME /data\nUSER 1000:1000|'
    ["USER root"]='s|^USER 1000:1000$|USER root|'
    ["COPY --from unknown stage"]='s|COPY --from=build|COPY --from=builder|'
    ["shell-form ENTRYPOINT"]='s|^ENTRYPOINT \["/function/hello"\]$|ENTRYPOINT /function/hello|'
    ["broken RUN"]='s|^RUN fdk-build-function|RUN if fdk-build-function|'
    ["unknown instruction"]='s|^WORKDIR /src$|WORKDR /src|'
    ["undeclared ARG in RUN"]='/^ARG LINK$/d'
    ["syntax directive (pulls a frontend)"]='1i # syntax=docker/dockerfile:1'
    ["fat run stage"]='s|^FROM debian:12-slim AS run-dynamic$|FROM fdk-cpp-build:0.1.0 AS run-dynamic|'
  )
  for label in "${!mutants[@]}"; do
    mutant=$work/mutant.Dockerfile
    sed -e "${mutants[$label]}" "$source" > "$mutant"
    if cmp -s "$source" "$mutant"; then
      echo "mutant '$label' did not change the file"; status=1; continue
    fi
    if dockerfile_check lint "$mutant" --kind function > "$work/mutant.out"; then
      echo "the linter accepted the mutant '$label':"; cat "$work/mutant.out"; status=1
    else
      echo "rejected '$label': $(grep FAIL "$work/mutant.out" | head -n1)"
    fi
  done
  return $status
}
check "lint: rejects 9 broken variants of the function Dockerfile" lint_rejects_mutants

example_is_template() {
  local status=0 f
  for f in Dockerfile func.yaml .dockerignore README.md; do
    if ! new_function --print "$f" hello | diff -u - "$repo/examples/hello/$f"; then
      echo "examples/hello/$f differs from the template: regenerate it with"
      echo "  scripts/fdk-new-function --print $f hello > examples/hello/$f"
      status=1
    fi
  done
  new_function hello "$work/hello-from-template" || return 1
  for f in "$repo"/examples/hello/*.cpp "$repo"/examples/hello/*.hpp; do
    diff -u "$f" "$work/hello-from-template/$(basename "$f")" || status=1
  done
  { new_function --print preamble hello; cat "$repo/examples/hello/meson.build"; } |
    diff -u - "$work/hello-from-template/meson.build" || status=1
  grep -q "fdk-cpp-build:$version" "$repo/examples/hello/Dockerfile" || { echo "the build image tag is not $version"; status=1; }
  return $status
}
check "template: examples/hello is the template rendered for 'hello'" example_is_template

# ---------------------------------------------------------------------------- fn init

init_tar() {
  mkdir -p "$work/init-image"
  dockerfile_check replay "$repo/templates/init-image/Dockerfile" --context "$repo" \
    --work "$work/init-image" --root-out "$work/init-root.txt" || return 1
  local root
  root=$(<"$work/init-root.txt")
  # What `docker run -e FN_FUNCTION_NAME=orders-api IMAGE` runs, from the replayed image files.
  FN_FUNCTION_NAME=orders-api "$root/fdk-init/fdk-init" > "$work/init.tar" || return 1
  tar -tvf "$work/init.tar"
  python3 "$repo/tests/packaging/check_init_tar.py" "$work/init.tar" orders-api || return 1
  if (unset FN_FUNCTION_NAME; "$root/fdk-init/fdk-init" > /dev/null 2>&1); then
    echo "the init entry point succeeded without FN_FUNCTION_NAME"; return 1
  fi
  python3 "$repo/tests/packaging/check_init_tar.py" --self-test
}
check "fn init: init image writes a tar that follows the fn CLI rules" init_tar

scaffold_matches_tar() {
  new_function orders-api "$work/scaffolded/orders-api" || return 1
  mkdir -p "$work/untarred" && tar -xf "$work/init.tar" -C "$work/untarred" || return 1
  python3 "$repo/tests/packaging/check_init_tar.py" --func-yaml "$work/scaffolded/orders-api/func.yaml" orders-api || return 1
  diff -r -x func.yaml -x func.init.yaml "$work/scaffolded/orders-api" "$work/untarred"
}
check "fn init: local scaffolder writes the same function (plus func.yaml)" scaffold_matches_tar

# ---------------------------------------------------------------------------- build image

build_image() {
  mkdir -p "$work/build-image"
  dockerfile_check replay "$repo/Dockerfile.build" --context "$repo" --work "$work/build-image" \
    --map "/usr/local=$prefix"
}
check "Dockerfile.build: replayed into a scratch prefix" build_image

installed_layout() {
  local status=0 f pc
  pc=$(consumer_pc_dir)
  for f in include/fdk/fdk.hpp include/fdk/testing.hpp include/fdk/version.hpp bin/fdk-invoke \
    bin/fdk-build-function bin/fdk-lambda-zip bin/fdk-new-function share/fdk-cpp/templates/function/Dockerfile.in share/fdk-cpp/hot_path.ld; do
    [[ -e $prefix/$f ]] || { echo "missing $prefix/$f"; status=1; }
  done
  ls "$prefix"/lib/*/libfdk.* "$prefix"/lib/*/libfdk-testing.* || status=1
  [[ $(PKG_CONFIG_PATH=$pc pkg-config --modversion fdk-cpp) == "$version" ]] || { echo "fdk-cpp.pc is not version $version"; status=1; }
  PKG_CONFIG_PATH=$pc pkg-config --cflags --libs fdk-cpp fdk-cpp-testing || status=1
  grep -q "\"$version\"" "$prefix/include/fdk/version.hpp" || { echo "version.hpp does not say $version"; status=1; }
  [[ $(<"$prefix/share/fdk-cpp/VERSION") == "$version" ]] || status=1
  return $status
}
check "install: headers, libraries, fdk-cpp.pc, tools, version $version" installed_layout

# ---------------------------------------------------------------------------- functions

scaffolded_function() {
  local dir=$work/scaffolded/orders-api
  export PKG_CONFIG_PATH
  PKG_CONFIG_PATH=$(consumer_pc_dir)
  meson setup "$dir/build" "$dir" && meson compile -C "$dir/build" && meson test -C "$dir/build" --print-errorlogs || return 1
  "$prefix/bin/fdk-invoke" -i -d '{"name":"Ada"}' -- "$dir/build/orders_api" | tee "$work/scaffold.out" || return 1
  grep -q '{"message":"Hello Ada"}' "$work/scaffold.out" && grep -q "Fn-Fdk-Version: fdk-cpp/$version" "$work/scaffold.out"
}
check "function: scaffolded function builds from pkg-config, tests, answers" scaffolded_function

# replay_function DIR NAME LINK: replays DIR/Dockerfile with the scratch prefix as the build image.
replay_function() {
  local dir=$1 name=$2 link=$3 out=$work/replay-$2-$3
  mkdir -p "$out"
  PKG_CONFIG_PATH=$(consumer_pc_dir) dockerfile_check replay "$dir/Dockerfile" --context "$dir" --work "$out" \
    --arg "LINK=$link" --path "$prefix/bin" --root-out "$out/root.txt" || return 1
  local root
  root=$(<"$out/root.txt")
  [[ -x $root/function/$name ]] || { echo "the run stage has no executable /function/$name"; return 1; }
  echo "binary: $(stat -c %s "$root/function/$name") bytes"
}

function_image_dynamic() {
  replay_function "$work/untarred" orders_api dynamic || return 1
  local out=$work/replay-orders_api-dynamic root lib owner status=0
  root=$(<"$out/root.txt")
  # Every shared library the binary loads must come from a package the run stage installs.
  local packages=$out/stage-0-build/out/runtime-packages
  cat "$packages"
  while read -r lib; do
    owner=$(dpkg-query -S "$(readlink -f "$lib")" 2>/dev/null | head -n1 | cut -d: -f1)
    [[ -n $owner ]] || owner=$(dpkg-query -S "$lib" 2>/dev/null | head -n1 | cut -d: -f1)
    if grep -qx "$owner" "$packages"; then echo "$lib <- $owner"; else echo "$lib ($owner) not installed by the run stage"; status=1; fi
  done < <(ldd "$root/function/orders_api" | awk '$2 == "=>" { print $3 }')
  "$prefix/bin/fdk-invoke" -d '{"name":"dynamic"}' -- "$root/function/orders_api" | grep -q '"Hello dynamic"' || status=1
  return $status
}
check "function Dockerfile (generated, LINK=dynamic): build steps replayed, closure covered" function_image_dynamic

function_image_static() {
  replay_function "$repo/examples/hello" hello static || return 1
  local root
  root=$(<"$work/replay-hello-static/root.txt")
  if readelf -d "$root/function/hello" | grep -q NEEDED; then echo "not static"; return 1; fi
  [[ -s $root/etc/ssl/certs/ca-certificates.crt ]] || { echo "no CA bundle in the image"; return 1; }
  compgen -G "$root/etc/ssl/certs/????????.0" > /dev/null || { echo "no hashed CA names"; return 1; }
  [[ $(stat -c %a "$root/tmp") == 1777 ]] || { echo "/tmp is not 1777"; return 1; }
  find "$root" -type l | grep . && { echo "the scratch image would hold symlinks"; return 1; }
  if [[ $(id -u) == 0 ]] && unshare --mount true 2>/dev/null; then
    # Run it the way the image would: that file system as /, uid 1000, nothing else.
    cat > "$work/in-rootfs.sh" <<'EOF'
#!/bin/sh
set -eu
root=$1; shift
dir=$(dirname "${FN_LISTENER#unix:}")
chmod 0777 "$dir"
mkdir -p "$root$dir"
export FDK_ROOT="$root" FDK_DIR="$dir"
exec unshare --mount sh -c 'mount --bind "$FDK_DIR" "$FDK_ROOT$FDK_DIR" && exec chroot --userspec=1000:1000 "$FDK_ROOT" "$@"' sh "$@"
EOF
    chmod +x "$work/in-rootfs.sh"
    "$prefix/bin/fdk-invoke" -d '{"name":"scratch"}' -- "$work/in-rootfs.sh" "$root" /function/hello | tee "$work/static.out"
  else
    echo "not root or no mount namespaces: running the static binary directly, not chrooted"
    "$prefix/bin/fdk-invoke" -d '{"name":"scratch"}' -- "$root/function/hello" | tee "$work/static.out"
  fi
  grep -q '"Hello scratch"' "$work/static.out"
}
check "function Dockerfile (examples/hello, LINK=static): scratch rootfs runs as uid 1000" function_image_static

# ---------------------------------------------------------------------------- consumers

library_kind=static
check_consumers

echo "check-packaging: $((SECONDS - started)) s"
echo "$passed passed, $failed failed"
((failed == 0))
