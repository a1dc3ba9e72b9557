# shellcheck shell=bash
# Sourced by check-packaging (static libraries) and check-shared (shared libraries): builds the
# three ways a user consumes an installed fdk-cpp (a CMake project with pkg_check_modules, a plain
# Makefile with pkg-config, a meson project with fdk-cpp as a subproject), runs their unit tests,
# invokes each function with fdk-invoke and checks how it was linked.
#
# The caller sets: repo (this checkout), work (scratch directory), prefix (where fdk-cpp is
# installed), version, library_kind (static or shared), and sources lib/checks.sh.

consumer_pc_dir() { dirname "$(find "$prefix" -name fdk-cpp.pc -print -quit)"; }

# expect_linkage BINARY: a static consumer carries no libfdk*.so; a shared one loads libfdk.so
# from the installed prefix, not from a build directory or the system.
expect_linkage() {
  local binary=$1 needed
  needed=$(readelf -d "$binary" | sed -n 's/.*Shared library: \[\(libfdk[^]]*\)\].*/\1/p')
  if [[ $library_kind == static ]]; then
    [[ -z $needed ]] || { echo "$binary needs $needed although fdk-cpp was installed static"; return 1; }
    return 0
  fi
  grep -qx 'libfdk\.so\..*' <<< "$needed" || { echo "$binary does not load libfdk.so (needs: ${needed:-nothing})"; return 1; }
  ldd "$binary" | grep 'libfdk' | tee "$work/ldd-$(basename "$binary").txt"
  if grep -v -F "$prefix/" "$work/ldd-$(basename "$binary").txt" | grep -q .; then
    echo "$binary loads an fdk-cpp library from outside $prefix"
    return 1
  fi
}

cmake_consumer() {
  local dir=$work/cmake-$library_kind
  PKG_CONFIG_PATH=$(consumer_pc_dir) cmake -S "$repo/examples/consumers/cmake" -B "$dir" -DCMAKE_BUILD_TYPE=Release || return 1
  cmake --build "$dir" -j 2 && ctest --test-dir "$dir" --output-on-failure || return 1
  expect_linkage "$dir/hello" || return 1
  "$prefix/bin/fdk-invoke" -d '{"name":"CMake"}' -- "$dir/hello" | grep -q '"Hello CMake"'
}

make_consumer() {
  local dir=$work/make-$library_kind
  mkdir -p "$dir"
  # In the environment: make 4.3 does not pass command-line variables to $(shell pkg-config).
  PKG_CONFIG_PATH=$(consumer_pc_dir) make -C "$dir" -f "$repo/examples/consumers/makefile/Makefile" \
    HELLO_DIR="$repo/examples/hello" all check || return 1
  expect_linkage "$dir/hello" || return 1
  "$prefix/bin/fdk-invoke" -d '{"name":"make"}' -- "$dir/hello" | grep -q '"Hello make"'
}

subproject_consumer() {
  local dir=$work/subproject-$library_kind/wrapped-fn
  "$repo/scripts/fdk-new-function" wrapped-fn "$dir" || return 1
  mkdir -p "$dir/subprojects"
  cp "$repo/examples/consumers/meson-subproject/fdk-cpp.wrap" "$dir/subprojects/"
  ln -s "$repo" "$dir/subprojects/fdk-cpp"
  # No PKG_CONFIG_PATH: fdk-cpp can only come from the subproject.
  meson setup "$dir/build" "$dir" --force-fallback-for=fdk-cpp,fdk-cpp-testing \
    "-Dfdk-cpp:default_library=$library_kind" || return 1
  meson compile -C "$dir/build" wrapped_fn:executable wrapped_fn_test:executable || return 1
  meson test -C "$dir/build" --no-rebuild --print-errorlogs || return 1
  "$dir/build/wrapped_fn_test" --list-test-cases
  "$prefix/bin/fdk-invoke" -i -- "$dir/build/wrapped_fn" | tee "$work/subproject-$library_kind.out"
  grep -q '"Hello World"' "$work/subproject-$library_kind.out" &&
    grep -q "Fn-Fdk-Version: fdk-cpp/$version" "$work/subproject-$library_kind.out"
}

# check_consumers: the three consumers as three checks, named with the library kind.
check_consumers() {
  check "consumer ($library_kind): CMake project with pkg_check_modules" cmake_consumer
  check "consumer ($library_kind): plain Makefile with pkg-config" make_consumer
  check "consumer ($library_kind): meson subproject through subprojects/fdk-cpp.wrap" subproject_consumer
}
