#!/usr/bin/env bash
# stdio mode, run the way the OpenFaaS classic watchdog (and of-watchdog's serializing mode) runs
# a function: one process per request, Http_* variables, the body on stdin, the answer on stdout.
# The watchdogs themselves are not installable here (see docs/openfaas.md), so this test plays
# their part with the same environment.
# usage: stdio_mode_test.sh BEHAVIOURS_BINARY
set -uo pipefail

behaviours=$1
dir=$(mktemp -d /tmp/fdk-stdio-XXXXXX)
# shellcheck source=tests/integration/check.sh
source "$(dirname "$0")/check.sh"
trap 'rm -rf "$dir"' EXIT

# like_watchdog ACTION BODY [VAR=value...]: one forked call; stdout, stderr and exit status in $dir.
like_watchdog() {
  local action=$1 body=$2
  shift 2
  printf '%s' "$body" | env -i PATH="$PATH" fprocess="$behaviours" combine_output=false \
    Http_Method=POST Http_Path=/some/path Http_Query='who=Ada&x=%2F' Http_Host=gateway:8080 \
    Http_Content_Type=text/plain Http_X_Call_Id=abc Http_X_Do="$action" "$@" \
    timeout 20 "$behaviours" >"$dir/out" 2>"$dir/err"
  echo $? >"$dir/status"
}
status() { cat "$dir/status"; }
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1" <"$dir/out"; }

like_watchdog echo 'hello body'
check "echo: exit 0" test "$(status)" = 0
check "echo: only the body on stdout" test "$(cat "$dir/out")" = 'hello body'
check "platform line on stderr" grep -q 'platform stdio' "$dir/err"

like_watchdog describe ''
check "describe: exit 0" test "$(status)" = 0
check "method from Http_Method" test "$(json_field method)" = POST
check "path from Http_Path" test "$(json_field path)" = /some/path
check "raw query from Http_Query" test "$(json_field raw_query)" = 'who=Ada&x=%2F'
check "request_url rebuilt" test "$(json_field url)" = 'http://gateway:8080/some/path?who=Ada&x=%2F'
check "call id from Http_X_Call_Id" test "$(json_field call_id)" = abc
check "content type from Http_Content_Type" test "$(json_field content_type)" = text/plain
check "no deadline without exec_timeout" test "$(json_field has_deadline)" = False
check "platform stdio" test "$(json_field platform)" = stdio

like_watchdog describe '' exec_timeout=10s
check "deadline from exec_timeout" test "$(json_field time_remaining_ms)" -le 10000

like_watchdog log ''
check "handler output kept off stdout" grep -q 'stdout line from the handler' "$dir/err"
check "stdout is the body alone" test "$(cat "$dir/out")" = logged

like_watchdog echo 'x' combine_output=true
check "warns that combine_output must be false" grep -q 'combine_output=false' "$dir/err"

like_watchdog throw ''
check "throw: exit 1" test "$(status)" = 1
check "throw: message on stdout" grep -q '"message"' "$dir/out"
check "throw: log line on stderr" grep -q 'asked to throw' "$dir/err"

like_watchdog http-error '' Http_X_Status=404
check "HttpError: exit 1" test "$(status)" = 1
check "HttpError: message on stdout" test "$(json_field message)" = 'asked for an HTTP error'

like_watchdog echo 'far too large' FDK_MAX_BODY_BYTES=5
check "too large: exit 1" test "$(status)" = 1
check "too large: says so" grep -q 'larger than' "$dir/out"

started=$(date +%s%N)
like_watchdog sleep '' Http_X_Millis=10000 exec_timeout=1s
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
check "exec_timeout: exit 1" test "$(status)" = 1
check "exec_timeout: left before the watchdog's kill" test "$elapsed_ms" -lt 3000
check "exec_timeout: says so on stderr" grep -q 'passed its deadline' "$dir/err"

like_watchdog echo '' exec_timeout=soon
check "bad exec_timeout: exit 2" test "$(status)" = 2
check "bad exec_timeout: says which" grep -q "exec_timeout='soon'" "$dir/err"

finish_checks
