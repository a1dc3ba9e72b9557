#!/usr/bin/env bash
# Runs real function binaries as AWS Lambda custom runtimes under the Lambda Runtime Interface
# Emulator (a program we did not write), both of its listeners on 127.0.0.1, and invokes
# them with curl: raw and API Gateway events, exceptions, HttpError, oversize, the deadline,
# and the fdk-lambda-zip zip extracted as Lambda extracts it.
# usage: lambda_rie_test.sh RIE_BINARY HELLO_BINARY BEHAVIOURS_BINARY FDK_LAMBDA_ZIP
set -uo pipefail

rie=$1
hello=$2
behaviours=$3
lambda_zip=$4
dir=$(mktemp -d /tmp/fdk-lambda-rie-XXXXXX)
rie_pid=
# shellcheck source=tests/integration/check.sh
source "$(dirname "$0")/check.sh"

stop_rie() {  # the emulator and its runtime child, by process id
  [[ -n $rie_pid ]] || return 0
  local children=()
  mapfile -t children < <(pgrep -P "$rie_pid")
  kill -9 "$rie_pid" "${children[@]}" 2>/dev/null
  wait "$rie_pid" 2>/dev/null
  rie_pid=
  return 0
}
cleanup() {
  stop_rie
  rm -rf "$dir"
}
trap cleanup EXIT
on_failure() { tail -n 30 "$dir/rie.log" >&2; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

starts=0
start_rie() {  # start_rie BINARY TIMEOUT_SECONDS: the binary becomes the emulator's bootstrap
  stop_rie
  # A fresh copy each time: the previous runtime may still be exiting from its SIGKILL.
  starts=$((starts + 1))
  mkdir -p "$dir/run-$starts"
  cp "$1" "$dir/run-$starts/bootstrap"
  api_port=$(free_port)
  invoke_port=$(free_port)
  # In a session of its own: the emulator signals its runtime's process group, never ours.
  AWS_LAMBDA_FUNCTION_TIMEOUT=$2 AWS_LAMBDA_FUNCTION_NAME=fdk-test \
    setsid "$rie" --runtime-api-address "127.0.0.1:$api_port" \
    --runtime-interface-emulator-address "127.0.0.1:$invoke_port" "$dir/run-$starts/bootstrap" >"$dir/rie.log" 2>&1 &
  rie_pid=$!
  for _ in $(seq 1 500); do
    curl --silent --max-time 1 -o /dev/null "http://127.0.0.1:$invoke_port/" && return 0
    sleep 0.01
  done
  echo "the emulator did not listen on 127.0.0.1:$invoke_port within 5 s" >&2
  cat "$dir/rie.log" >&2
  exit 1
}

invoke() {  # invoke EVENT_JSON: prints the caller's answer
  curl --silent --show-error --max-time 20 -X POST --data-binary "$1" \
    "http://127.0.0.1:$invoke_port/2015-03-31/functions/function/invocations"
}

json_field() {  # json_field JSON PYTHON_EXPRESSION_ON_d
  python3 -c 'import json, sys; d = json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2" 2>/dev/null
}

apigw_v2() {  # apigw_v2 METHOD PATH QUERY X_DO BODY: a function-URL / HTTP API event
  printf '{"version":"2.0","rawPath":"%s","rawQueryString":"%s","cookies":["a=1","b=2"],' "$2" "$3"
  printf '"headers":{"host":"fn.example.com","x-do":"%s","content-type":"text/plain"},' "$4"
  printf '"requestContext":{"http":{"method":"%s","path":"%s"}},"body":"%s","isBase64Encoded":false}' "$1" "$2" "$5"
}

# --- the hello example: the same binary that runs on Fn -------------------------------------
start_rie "$hello" 10
answer=$(invoke '{"name":"Lambda"}')
check "raw event round trip" test "$answer" = '{"message":"Hello Lambda"}'
answer=$(invoke '{"name":"again"}')
check "second invoke on the same runtime" test "$answer" = '{"message":"Hello again"}'
check "one stderr line names the platform and why" \
  grep -q "fdk-cpp: platform lambda (AWS_LAMBDA_RUNTIME_API=127.0.0.1:$api_port)" "$dir/rie.log"
answer=$(invoke "$(apigw_v2 GET /greet 'x=1' describe '')")
check "API Gateway v2 event answered with statusCode" test "$(json_field "$answer" 'd["statusCode"]')" = 200
check "API Gateway v2 answer body" test "$(json_field "$answer" 'd["body"]')" = '{"message":"Hello World"}'
check "API Gateway v2 answer content type" \
  test "$(json_field "$answer" 'd["headers"]["content-type"]')" = application/json

# --- the behaviours function: failures, limits and the gateway view ------------------------
start_rie "$behaviours" 2
answer=$(invoke '{"X-Do":"describe"}')
check "platform is lambda" test "$(json_field "$answer" 'd["platform"]')" = lambda
check "call id is the request id" test -n "$(json_field "$answer" 'd["call_id"]')"
check "the deadline comes from Lambda-Runtime-Deadline-Ms" test "$(json_field "$answer" 'd["has_deadline"]')" = True
check "time remaining is within the 2 s timeout" \
  test "$(json_field "$answer" '0 < d["time_remaining_ms"] <= 2000')" = True
check "invoked function ARN attribute" \
  grep -q ':function:fdk-test' <<<"$(json_field "$answer" 'd["platform_attributes"]["invoked_function_arn"]')"
check "fn name from AWS_LAMBDA_FUNCTION_NAME" test "$(json_field "$answer" 'd["fn_name"]')" = fdk-test

answer=$(invoke "$(apigw_v2 POST /items/7 'a=1&a=2' describe 'payload')")
inner=$(json_field "$answer" 'd["body"]')
check "gateway method" test "$(json_field "$inner" 'd["method"]')" = POST
check "gateway path" test "$(json_field "$inner" 'd["path"]')" = /items/7
check "gateway query" test "$(json_field "$inner" 'd["query"]')" = "[['a', '1'], ['a', '2']]"
check "gateway cookies re-joined" test "$(json_field "$inner" 'd["gateway_headers"]["Cookie"][0]')" = "a=1; b=2"
check "gateway body" test "$(json_field "$inner" 'd["body"]')" = payload
check "is_gateway" test "$(json_field "$inner" 'd["is_gateway"]')" = True

answer=$(invoke '{"X-Do":"throw"}')
check "exception: errorType is the exception's type" test "$(json_field "$answer" 'd["errorType"]')" = std::runtime_error
check "exception: errorMessage says what happened" grep -q 'asked to throw' <<<"$(json_field "$answer" 'd["errorMessage"]')"
answer=$(invoke '{"X-Do":"echo","v":1}')
check "the next invoke after an exception still works" test "$answer" = '{"X-Do":"echo","v":1}'

answer=$(invoke '{"X-Do":"http-error","X-Status":"404"}')
check "HttpError on a raw event: errorType HttpError" test "$(json_field "$answer" 'd["errorType"]')" = HttpError
check "HttpError on a raw event: the status in the JSON" test "$(json_field "$answer" 'd["statusCode"]')" = 404
answer=$(invoke "$(apigw_v2 GET /missing '' http-error '')")
check "HttpError on an HTTP event: statusCode" test "$(json_field "$answer" 'd["statusCode"]')" = 418
check "HttpError on an HTTP event: JSON message body" \
  grep -q 'asked for an HTTP error' <<<"$(json_field "$answer" 'd["body"]')"

answer=$(invoke '{"X-Do":"big","X-Bytes":"7000000"}')
check "oversize response: ResponseSizeTooLarge before posting" \
  test "$(json_field "$answer" 'd["errorType"]')" = ResponseSizeTooLarge
answer=$(invoke '{"X-Do":"big","X-Bytes":"5000000"}')
check "5 MB response delivered" test "${#answer}" -eq 5000000

answer=$(invoke '{"X-Do":"wait-for-cancel"}')
check "deadline: the caller gets Lambda's timeout" grep -qi 'timed out' <<<"$answer"
check "deadline: cancelled() turned true at the deadline" grep -q 'passed its deadline; cancelled() is now true' "$dir/rie.log"
answer=$(invoke '{"X-Do":"echo","after":"timeout"}')
check "after the timeout the emulator starts the runtime again and it serves" \
  test "$answer" = '{"X-Do":"echo","after":"timeout"}'
check "the runtime was started twice" test "$(grep -c 'fdk-cpp: platform lambda' "$dir/rie.log")" -ge 2

# --- the zip: one entry, bootstrap, mode 0755, and it runs once extracted ------------------
"$lambda_zip" "$hello" "$dir/hello.zip" >/dev/null
entries=$(python3 -c 'import sys, zipfile
for i in zipfile.ZipFile(sys.argv[1]).infolist(): print(i.filename, oct(i.external_attr >> 16))' "$dir/hello.zip")
check "zip holds only bootstrap, a regular file with mode 0755" test "$entries" = "bootstrap 0o100755"
mkdir "$dir/unzipped"
python3 -c 'import os, sys, zipfile  # extract as Lambda does: the mode bits are kept
z = zipfile.ZipFile(sys.argv[1])
for i in z.infolist(): os.chmod(z.extract(i, sys.argv[2]), i.external_attr >> 16 & 0o7777)' "$dir/hello.zip" "$dir/unzipped"
check "extracted bootstrap is executable" test -x "$dir/unzipped/bootstrap"
start_rie "$dir/unzipped/bootstrap" 10
check "extracted bootstrap serves" test "$(invoke '{"name":"zip"}')" = '{"message":"Hello zip"}'

finish_checks
