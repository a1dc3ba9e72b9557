# shellcheck shell=bash
# Sourced by the check scripts (check-docs, check-packaging, test-containers): one way to run a
# named check with its output kept in a log under $work, shown (its tail) only when it fails.
# The caller sets $work and prints its own closing "N passed, N failed" line.
passed=0
failed=0

# check NAME COMMAND...: runs COMMAND (a function or program), counts a pass or a failure.
check() {
  local name=$1 log t0=$SECONDS
  shift
  log="$work/log-$((passed + failed + 1)).txt"
  if "$@" > "$log" 2>&1; then
    passed=$((passed + 1))
    printf 'PASS  %-72s %4ds\n' "$name" $((SECONDS - t0))
  else
    failed=$((failed + 1))
    printf 'FAIL  %-72s %4ds\n' "$name" $((SECONDS - t0))
    tail -n 40 "$log" | sed 's/^/      | /'
  fi
}
