# shellcheck shell=bash
# Sourced by the shell tests: counting checks and the closing "N passed, N failed" line.
# A test may define on_failure() to print what helps explain a failed check.
passed=0
failed=0

check() {  # check NAME COMMAND...: counts a pass when the command succeeds
  local name=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $name" >&2
    if declare -F on_failure >/dev/null; then on_failure; fi
  fi
}

finish_checks() {  # prints the summary; the exit status says whether all passed
  echo "$passed passed, $failed failed"
  [[ $failed -eq 0 ]]
}
