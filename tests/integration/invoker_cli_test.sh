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

run() {  # run ARGS...: fdk-invoke with stdout/stderr captured; sets $status
  "$invoke" "$@" >"$out" 2>"$err"
  status=$?
}

run -d '{"name":"cli"}' -- "$hello"
check "hello answers" grep -qx '{"message":"Hello cli"}' "$out"
check "exit 0 on 200" test "$status" -eq 0

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

run --timeout 1 -H 'X-Do: sleep' -H 'X-Millis: 3000' -- "$behaviours"
check "504 gives exit 1" test "$status" -eq 1
check "504 explained" grep -q 'answered 504' "$err"

run -i --gateway POST 'http://h/t/app/gw?name=box' -d 'abc' -- "$http_gateway"
check "http-gateway: status 201 through Fn-Http-Status" grep -qi '^Fn-Http-Status: 201' "$out"
check "http-gateway: two cookies" test "$(grep -ci '^Fn-Http-H-Set-Cookie:' "$out")" -eq 2
check "http-gateway: Location" grep -qi '^Fn-Http-H-Location: /t/app/gw/' "$out"

run -i -d '{"customer":"Ada","lines":[{"item":"tea","quantity":2,"unit_price":1.5}]}' -- "$json"
check "json: priced" grep -q '"total":3.0' "$out"
run -i -d '{"customer":' -- "$json"
check "json: bad body is a 400 for the caller" grep -qi '^Fn-Http-Status: 400' "$out"
check "json: and 200 for the agent" test "$status" -eq 0

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
