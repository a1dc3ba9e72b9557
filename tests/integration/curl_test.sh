#!/usr/bin/env bash
# Drives a real function binary with curl --unix-socket: an HTTP client we did not write.
# usage: curl_test.sh FUNCTION_BINARY (the hello example)
set -uo pipefail

function_binary=$1
dir=$(mktemp -d /tmp/fdk-curl-XXXXXX)
pid=
# shellcheck source=tests/integration/check.sh
source "$(dirname "$0")/check.sh"

cleanup() {
  [[ -n $pid ]] && kill -9 "$pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

deadline() { date -u -d "+30 seconds" +%Y-%m-%dT%H:%M:%SZ; }

start_function() {
  FN_LISTENER="unix:$dir/lsnr.sock" FN_FORMAT=http-stream "$function_binary" 2>"$dir/stderr" &
  pid=$!
  for _ in $(seq 1 500); do
    [[ -S $dir/lsnr.sock ]] && return 0
    sleep 0.01
  done
  echo "the function did not create $dir/lsnr.sock within 5 s" >&2
  cat "$dir/stderr" >&2
  exit 1
}

call() {  # call [curl args...]: POST /call with the agent's headers
  curl --silent --show-error --max-time 10 --unix-socket "$dir/lsnr.sock" \
    -H "Fn-Call-Id: 01CURL" -H "Fn-Deadline: $(deadline)" "$@" http://localhost/call
}

start_function

body=$(call -H 'Content-Type: application/json' -d '{"name":"curl"}')
check "Content-Length body" test "$body" = '{"message":"Hello curl"}'

body=$(call -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' -d '{"name":"chunks"}')
check "chunked body" test "$body" = '{"message":"Hello chunks"}'

headers=$(call -D - -o /dev/null -d '{}')
check "200 to the agent" grep -q '^HTTP/1.1 200' <<<"$headers"
check "gateway status" grep -qi '^Fn-Http-Status: 200' <<<"$headers"
check "fdk version header" grep -qi '^Fn-Fdk-Version: fdk-cpp/' <<<"$headers"
check "fdk runtime header" grep -qi '^Fn-Fdk-Runtime: cpp/' <<<"$headers"

# Two URLs in one curl run share one connection when the server keeps it alive.
verbose=$(curl --silent --verbose --max-time 10 --unix-socket "$dir/lsnr.sock" -H "Fn-Deadline: $(deadline)" \
  -d '{"name":"a"}' http://localhost/call http://localhost/call 2>&1)
check "keep-alive reuses the connection" grep -qi 're-using existing connection' <<<"$verbose"
check "keep-alive: both answered" test "$(grep -c 'Hello a' <<<"$verbose")" -eq 2

gateway=$(call -D - -H 'Fn-Intent: httprequest' -H 'Fn-Http-Method: GET' \
  -H 'Fn-Http-Request-Url: http://h/t/app/hello?x=1' -H 'Fn-Http-H-Accept: */*' -d '')
check "gateway call answered" grep -q 'Hello World' <<<"$gateway"

status=$(curl --silent --output /dev/null --write-out '%{http_code}' --max-time 10 \
  --unix-socket "$dir/lsnr.sock" http://localhost/not-call)
check "non-/call path refused with 502" test "$status" = 502

status=$(curl --silent --output /dev/null --write-out '%{http_code}' --max-time 10 \
  --unix-socket "$dir/lsnr.sock" -H "Fn-Deadline: 2001-01-01T00:00:00Z" -d '{}' http://localhost/call)
check "past deadline answered 504" test "$status" = 504

body=$(call -d '{"name":"after"}')
check "still serving after errors" test "$body" = '{"message":"Hello after"}'

kill -TERM "$pid"
wait "$pid"
exit_status=$?
pid=
check "SIGTERM exits 0" test "$exit_status" -eq 0
check "socket symlink removed" test ! -e "$dir/lsnr.sock" -a ! -L "$dir/lsnr.sock"
check "phony socket removed" test ! -e "$dir/phonylsnr.sock"

finish_checks
