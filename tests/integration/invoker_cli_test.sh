#!/usr/bin/env bash
# fdk-invoke from the command line: a good call, gateway calls, repeated calls, and the
# start-up failures it must explain.
# Also the end-to-end test of the http-gateway and json examples.
# usage: invoker_cli_test.sh FDK_INVOKE HELLO BEHAVIOURS HTTP_GATEWAY JSON
set -uo pipefail

invoke=$1
hello=$2
behaviours=$3
http_gateway=$4
json=$5
# shellcheck source=tests/integration/check.sh
source "$(dirname "$0")/check.sh"
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

on_failure() {
  echo "--- stdout:" >&2
  cat "$out" >&2
  echo "--- stderr:" >&2
  cat "$err" >&2
}

not() {  # not COMMAND...: succeeds when the command fails
  ! "$@"
}

run() {  # run ARGS...: fdk-invoke with stdout/stderr captured; sets $status
  "$invoke" "$@" >"$out" 2>"$err"
  status=$?
}

run -d '{"name":"cli"}' -- "$hello"
check "hello answers" grep -qx '{"message":"Hello cli"}' "$out"
check "exit 0 on 200" test "$status" -eq 0
check "a normal run prints no SIGTERM line" not grep -q SIGTERM "$err"

run -v -- "$hello"
check "-v shows the function's SIGTERM notice" grep -q 'received SIGTERM' "$err"

run -H 'X-Do: log' -- "$behaviours"
check "the handler's stdout stays out of the response output" test "$(cat "$out")" = "logged"
check "the handler's stdout goes to stderr" grep -q 'stdout line from the handler' "$err"
check "the handler's stderr goes to stderr" grep -q 'stderr line from the handler' "$err"

run -i -n 3 -d '{}' -- "$hello"
check "three calls on one connection" test "$(grep -c '^HTTP/1.1 200' "$out")" -eq 3
check "headers printed with -i" grep -qi '^Fn-Fdk-Version: fdk-cpp/' "$out"

run -i --gateway GET 'http://h/t/app/fn?x=1' --gateway-header 'X-Req: r' -H 'X-Do: describe' -- "$behaviours"
check "gateway call seen as such" grep -q '"is_gateway":true' "$out"
check "gateway header de-prefixed" grep -q '"X-Req":\["r"\]' "$out"

run -e GREETING=configured -H 'X-Do: describe' -- "$behaviours"
check "config reaches the function" grep -q '"config_greeting":"configured"' "$out"

run -H 'X-Do: throw' -- "$behaviours"
check "502 gives exit 1" test "$status" -eq 1
check "502 explained" grep -q 'answered 502' "$err"

run --timeout 250ms -H 'X-Do: sleep' -H 'X-Millis: 3000' -- "$behaviours"
check "504 gives exit 1" test "$status" -eq 1
check "504 explained" grep -q 'answered 504' "$err"

# The deadline is exact to the millisecond, not truncated to whole seconds.
for timeout in 1.5 1500ms; do
  run --timeout "$timeout" -H 'X-Do: describe' -- "$behaviours"
  check "--timeout $timeout accepted" test "$status" -eq 0
  check "--timeout $timeout: Fn-Deadline carries milliseconds" \
    grep -Eq '"Fn-Deadline":\["[0-9T:-]+\.[0-9]{3}Z"\]' "$out"
  remaining=$(grep -o '"time_remaining_ms":[0-9]*' "$out" | cut -d: -f2)
  check "--timeout $timeout: at most 1.5 s remain ($remaining ms)" test "${remaining:-0}" -gt 0 -a "${remaining:-0}" -le 1500
done
run --timeout 1x -- "$hello"
check "a bad --timeout: exit 2" test "$status" -eq 2
check "a bad --timeout: explained" grep -q "timeout must be a positive duration" "$err"

# A status for the caller that is not 2xx: non-zero without -i, shown with -i.
run -H 'X-Do: http-error' -H 'X-Status: 404' -- "$behaviours"
check "caller status 404 without -i: exit 3" test "$status" -eq 3
check "caller status 404 without -i: explained" grep -q 'caller would get HTTP 404' "$err"
run -i -H 'X-Do: http-error' -H 'X-Status: 404' -- "$behaviours"
check "caller status 404 with -i: exit 0" test "$status" -eq 0
check "caller status 404 with -i: shown" grep -qi '^Fn-Http-Status: 404' "$out"

run -H 'X-Do: abort' -- "$behaviours"
check "a function killed by a signal: exit 1" test "$status" -eq 1
check "a function killed by a signal: named" grep -q 'the function was killed by SIGABRT' "$err"

run --socket-dir /nonexistent-fdk-socket-dir -- "$hello"
check "missing socket dir: exit 2" test "$status" -eq 2
check "missing socket dir: said so" grep -q "'/nonexistent-fdk-socket-dir' does not exist" "$err"
TMPDIR=/nonexistent-fdk-tmp run -- "$hello"
check "missing TMPDIR: said so" grep -q "TMPDIR) '/nonexistent-fdk-tmp' does not exist" "$err"
socket_dir=$(mktemp -d)
run --socket-dir "$socket_dir" -d '{"name":"dir"}' -- "$hello"
check "--socket-dir: served from there" grep -qx '{"message":"Hello dir"}' "$out"
check "--socket-dir: exit 0" test "$status" -eq 0
check "--socket-dir: the function removed its socket files" rmdir "$socket_dir"

"$invoke" --help >"$out" 2>"$err"
check "--help documents the exit codes" grep -q '^  3  without -i' "$out"

env -u FN_LISTENER "$hello" --version >"$out" 2>"$err"
status=$?
check "function --version: exit 0" test "$status" -eq 0
check "function --version: the FDK version" grep -Eqx 'fdk-cpp [0-9]+\.[0-9]+\.[0-9]+.*' "$out"

run -i --gateway POST 'http://h/t/app/gw?name=box' -d 'abc' -- "$http_gateway"
check "http-gateway: status 201 through Fn-Http-Status" grep -qi '^Fn-Http-Status: 201' "$out"
check "http-gateway: two cookies" test "$(grep -ci '^Fn-Http-H-Set-Cookie:' "$out")" -eq 2
check "http-gateway: Location" grep -qi '^Fn-Http-H-Location: /t/app/gw/' "$out"

run -i -d '{"customer":"Ada","lines":[{"item":"tea","quantity":2,"unit_price":1.5}]}' -- "$json"
check "json: priced" grep -q '"total":3.0' "$out"
run -i -d '{"customer":' -- "$json"
check "json: bad body is a 400 for the caller" grep -qi '^Fn-Http-Status: 400' "$out"
check "json: and 200 for the agent" test "$status" -eq 0
run -d '{"customer":7,"lines":[]}' -- "$json"
check "json: bad body without -i: exit 3" test "$status" -eq 3
check "json: the message names the field" grep -q "field 'customer': expected a string, got a number" "$out"

run -- /bin/false
check "function exiting at start: exit 2" test "$status" -eq 2
check "function exiting at start: explained" grep -q 'exited with status 1 before creating' "$err"

run --start-timeout 300 -- sleep 5
check "no socket in time: exit 2" test "$status" -eq 2
check "no socket in time: explained" grep -q 'did not create .* within 300 ms' "$err"

run -- /nonexistent/function
check "missing binary: exit 2" test "$status" -eq 2
check "missing binary: explained" grep -q "cannot start '/nonexistent/function'" "$err"

run --bogus -- "$hello"
check "unknown option: exit 2" test "$status" -eq 2

finish_checks
