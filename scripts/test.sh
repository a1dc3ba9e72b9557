#!/usr/bin/env bash
# fdk-cpp's tests, from a fresh Debian 12 clone with nothing beside it.
#
#   scripts/test.sh          quick: set-up, -Werror build, unit and integration tests, the
#                            docs' walk-throughs (minutes on 2 cores; ccache makes rebuilds faster)
#   scripts/test.sh --full   the CI gate (.ci/run): the quick stages, then the tests under
#                            ASan+UBSan, packaging checks, the shared-library build, a
#                            bounded libFuzzer run, and the stages listed at the end of
#                            this file
#
# Each stage prints "== NAME" when it starts and "-- NAME: ok|FAILED in Ns" when it ends; a stage
# that cannot run here prints "-- skipped: NAME: why". The last line is "N passed, N failed"
# (meson's tests count one each, any other stage counts one) and the exit status is non-zero
# when anything failed.
#
# Environment: FUZZ_BUDGET_SECONDS (default 180) is the fuzzing time shared by all targets;
# FUZZ_SECONDS fixes the time per target instead. FDK_REQUIRE_DOCKER=1 (set by .ci/run) turns a
# missing Docker engine from a skip into a failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

full=false
case ${1:-} in
  "") ;;
  --full) full=true ;;
  -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
  *) echo "usage: scripts/test.sh [--full]" >&2; exit 2 ;;
esac

passed=0
failed=0
timings=()
failure_lines=()
started=$SECONDS

# step NAME COMMAND...: runs one stage, shows its output, counts meson's per-test results (or
# a script's own "N passed, N failed" line) when it prints them, and records its wall time.
step() {
  local name=$1
  shift
  echo
  echo "== $name"
  local log t0=$SECONDS
  log=$(mktemp)
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local ok fail
  ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p; s/^\([0-9][0-9]*\) passed, [0-9][0-9]* failed$/\1/p' "$log" | tail -1)
  fail=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p; s/^[0-9][0-9]* passed, \([0-9][0-9]*\) failed$/\1/p' "$log" | tail -1)
  # CI keeps only the end of the output, so a failed stage's telling lines are repeated there.
  if [[ $rc -ne 0 ]]; then
    failure_lines+=("== $name" "$(grep -E -a 'FAIL|ERROR|[Ee]rror:|runtime error|SUMMARY:|[Aa]ssert|Timeout|TIMEOUT|not ok' "$log" | tail -40)")
  fi
  rm -f "$log"
  if [[ -n $ok ]]; then
    passed=$((passed + ok))
    failed=$((failed + ${fail:-0}))
    if [[ $rc -ne 0 && ${fail:-0} -eq 0 ]]; then failed=$((failed + 1)); fi
  elif [[ $rc -eq 0 ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
  local took=$((SECONDS - t0)) verdict=ok
  [[ $rc -eq 0 ]] || verdict="FAILED (exit $rc)"
  echo "-- $name: $verdict in ${took}s"
  timings+=("$(printf '%6ds  %s%s' "$took" "$name" "$([[ $rc -eq 0 ]] || echo '  FAILED')")")
}

# skip NAME WHY: a stage that does not run here, said once.
skip() {
  echo
  echo "-- skipped: $1: $2"
  timings+=("$(printf '%6s   %s (skipped: %s)' - "$1" "$2")")
}

# configure DIR OPTIONS...: meson setup, once per build directory.
configure() {
  local dir=$1
  shift
  [[ -f $dir/build.ninja ]] || meson setup "$dir" "$@"
}

# meson test builds only what the tests run (not the benchmarks or the OCI demo tools).
asan_tests() {
  configure build-asan -Db_sanitize=address,undefined -Db_lundef=false || return
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    meson test -C build-asan --print-errorlogs --timeout-multiplier 3
}

# Builds only the libFuzzer executables (not the library's tools and examples).
build_fuzzers() {
  CC=clang CXX=clang++ configure build-fuzz -Dfuzz=enabled -Dtests=disabled \
    -Db_sanitize=address,undefined -Db_lundef=false || return
  local targets
  targets=$(meson introspect build-fuzz --targets | python3 -c '
import json, os, sys
for t in json.load(sys.stdin):
    if t["name"].endswith("_fuzzer"):
        print(os.path.relpath(t["filename"][0], os.path.abspath("build-fuzz")))')
  # shellcheck disable=SC2086 # one target per word
  ninja -C build-fuzz $targets
}

run_fuzzers() {
  local fuzzers status=0
  mapfile -t fuzzers < <(find build-fuzz/fuzz -type f -name '*_fuzzer' -perm -u+x | sort)
  ((${#fuzzers[@]})) || { echo "no fuzz targets under build-fuzz/fuzz"; return 1; }
  local seconds=${FUZZ_SECONDS:-$((${FUZZ_BUDGET_SECONDS:-180} / ${#fuzzers[@]}))}
  ((seconds >= 5)) || seconds=5
  local fuzzer corpus name seeds
  for fuzzer in "${fuzzers[@]}"; do
    corpus=$(mktemp -d)
    name=$(basename "$fuzzer" _fuzzer)
    for seeds in fuzz/corpus/"$name" fuzz/*/corpus/"$name"; do
      if [[ -d $seeds ]]; then cp -r "$seeds"/. "$corpus"/; fi
    done
    echo "-- $fuzzer for ${seconds}s"
    # Sanitizer reports must stop the run: libFuzzer then saves the input and fails.
    ASAN_OPTIONS=abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1 \
      "$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -artifact_prefix=build-fuzz/ "$corpus" 2>&1 |
      grep -E '^(Done|==|SUMMARY|INFO: seed|    #[0-9])' || true
    [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
    rm -rf "$corpus"
  done
  return $status
}

# docker_step NAME COMMAND...: a step that needs a Docker engine. Without one it is skipped with
# one line, or fails when FDK_REQUIRE_DOCKER=1 (CI).
docker_step() {
  if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
    step "$@"
  elif [[ ${FDK_REQUIRE_DOCKER:-} == 1 ]]; then
    step "$1" echo_false "no Docker engine answers (docker info failed) and FDK_REQUIRE_DOCKER=1 requires one"
  else
    skip "$1" "no Docker engine answers here (docker info failed)"
  fi
}
echo_false() { echo "$*"; return 1; }

# ------------------------------------------------------------------------------ quick stages
step "set-up (apt packages)" scripts/setup.sh
step "shellcheck" shellcheck -x scripts/*.sh tests/integration/*.sh .ci/run
step "build (gcc, debugoptimized, -Werror)" scripts/build.sh build-test -Dwerror=true
step "unit and integration tests" meson test -C build-test --print-errorlogs
step "docs walk-throughs (testing.md, oci.md)" scripts/check-docs.sh build-test

# ------------------------------------------------------------------------------- full stages
if $full; then
  step "ASan+UBSan build and tests" asan_tests
  step "packaging checks" scripts/check-packaging.sh
  step "shared libraries (build, tests, exported ABI, consumers)" scripts/check-shared.sh build-shared
  step "build fuzz targets (clang)" build_fuzzers
  fuzz_time=${FUZZ_BUDGET_SECONDS:-180}s\ shared\ by\ all\ targets
  [[ -z ${FUZZ_SECONDS:-} ]] || fuzz_time="${FUZZ_SECONDS}s per target"
  step "fuzz (seed corpora, then $fuzz_time)" run_fuzzers
  if [[ -x scripts/test-containers.sh ]]; then
    docker_step "containers (images built, run as the Fn agent runs them)" scripts/test-containers.sh
  fi
else
  skip "ASan+UBSan, packaging, fuzzing, containers" "quick mode; scripts/test.sh --full runs them (CI does)"
fi

if ((${#failure_lines[@]})); then
  echo
  echo "== what the failed stages printed about their failures"
  printf '%s\n' "${failure_lines[@]}"
fi
echo
echo "== stage times (total $((SECONDS - started))s)"
printf '%s\n' "${timings[@]}"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
