#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12: set-up, build, unit and integration tests,
# the same tests under ASan+UBSan, packaging checks, and a bounded libFuzzer run.
# Ends with one line "N passed, N failed" and exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

FUZZ_SECONDS=${FUZZ_SECONDS:-30}
passed=0
failed=0

# step NAME COMMAND...: runs one step, counting meson's per-test results when it prints them.
step() {
  local name=$1
  shift
  echo "== $name"
  local log
  log=$(mktemp)
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local ok fail
  ok=$(sed -n 's/^Ok: *\([0-9]*\).*/\1/p' "$log" | tail -1)
  fail=$(sed -n 's/^Fail: *\([0-9]*\).*/\1/p' "$log" | tail -1)
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
  [[ $rc -eq 0 ]] || echo "!! step failed: $name (exit $rc)"
}

run_fuzzers() {
  local corpus status=0
  for fuzzer in $(find build-fuzz/fuzz -type f -name '*_fuzzer' -perm -u+x | sort); do
    corpus=$(mktemp -d)
    local name seeds
    name=$(basename "$fuzzer" _fuzzer)
    for seeds in fuzz/corpus/"$name" fuzz/*/corpus/"$name"; do
      if [[ -d $seeds ]]; then cp -r "$seeds"/. "$corpus"/; fi
    done
    echo "-- $fuzzer for ${FUZZ_SECONDS}s"
    # Sanitizer reports must stop the run: libFuzzer then saves the input and fails.
    ASAN_OPTIONS=abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1 \
      "$fuzzer" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -artifact_prefix=build-fuzz/ "$corpus" 2>&1 |
      grep -E '^(Done|==|SUMMARY|INFO: seed|    #[0-9])' || true
    [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
    rm -rf "$corpus"
  done
  return $status
}

step "set-up (apt packages)" scripts/setup.sh
step "shellcheck" shellcheck -x scripts/*.sh tests/integration/*.sh .ci/run
step "build (gcc, debugoptimized, -Werror)" scripts/build.sh build-test -Dwerror=true
step "tests" meson test -C build-test --print-errorlogs
step "build (ASan+UBSan)" scripts/build.sh build-asan -Db_sanitize=address,undefined -Db_lundef=false
step "tests under ASan+UBSan" env ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 meson test -C build-asan --print-errorlogs --timeout-multiplier 3
if [[ -x scripts/check-packaging.sh ]]; then
  step "packaging checks" scripts/check-packaging.sh
fi
step "build fuzz targets (clang)" env CC=clang CXX=clang++ scripts/build.sh build-fuzz -Dfuzz=enabled -Dtests=disabled \
  -Db_sanitize=address,undefined -Db_lundef=false
step "fuzz (${FUZZ_SECONDS}s per target)" run_fuzzers

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
