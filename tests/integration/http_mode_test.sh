#!/usr/bin/env bash
# HTTP-host mode (Knative, Cloud Run, OpenFaaS of-watchdog http) driven over TCP on 127.0.0.1
# by curl, an HTTP client we did not write.
# usage: http_mode_test.sh BEHAVIOURS_BINARY HELLO_BINARY
set -uo pipefail

behaviours=$1
hello=$2
dir=$(mktemp -d /tmp/fdk-http-XXXXXX)
pids=()
last_pid=
# shellcheck source=tests/integration/check.sh
source "$(dirname "$0")/check.sh"

cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  rm -rf "$dir"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start NAME PORT BINARY [VAR=value...]: runs BINARY in http mode on 127.0.0.1:PORT, waits until it listens.
start() {
  local name=$1 port=$2 binary=$3
  shift 3
  env PORT="$port" FDK_HTTP_ADDRESS=127.0.0.1 "$@" "$binary" 2>"$dir/$name.stderr" &
  last_pid=$!
  pids+=("$last_pid")
  for _ in $(seq 1 500); do
    curl --silent --output /dev/null --max-time 1 "http://127.0.0.1:$port/" && return 0
    sleep 0.01
  done
  echo "$name did not listen on 127.0.0.1:$port within 5 s" >&2
  cat "$dir/$name.stderr" >&2
  exit 1
}

call() {  # call PORT [curl args...] PATH
  local port=$1
  shift
  local path=${*: -1}
  curl --silent --show-error --max-time 10 "${@:1:$#-1}" "http://127.0.0.1:$port$path"
}

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

port=$(free_port)
start fn "$port" "$behaviours" FDK_MAX_BODY_BYTES=100000 K_SERVICE=greeter K_REVISION=greeter-00001
fn_pid=$last_pid

# Round trip, status and headers on the wire.
body=$(call "$port" -H 'X-Do: echo' -H 'Content-Type: text/plain' -d 'round trip' /)
check "round trip" test "$body" = 'round trip'
headers=$(call "$port" -D - -o /dev/null -H 'X-Do: cookies' /)
check "handler status on the wire" grep -q '^HTTP/1.1 201' <<<"$headers"
check "two Set-Cookie headers" test "$(grep -ci '^Set-Cookie:' <<<"$headers")" -eq 2
check "custom header" grep -qi '^X-Custom: v' <<<"$headers"
check "no Fn headers" test "$(grep -ci '^Fn-' <<<"$headers")" -eq 0

# The gateway view: method, URL rebuilt from X-Forwarded-Proto and Host, tracing, CloudEvents.
described=$(call "$port" -X PUT -H 'Host: greeter.example.com' -H 'X-Forwarded-Proto: https' \
  -H 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' \
  -H 'ce-id: 1' -H 'ce-source: /s' -H 'ce-specversion: 1.0' -H 'ce-type: order.new' '/orders/7?x=1')
check "method" test "$(json_field method <<<"$described")" = PUT
check "request_url rebuilt" test "$(json_field url <<<"$described")" = 'https://greeter.example.com/orders/7?x=1'
check "path" test "$(json_field path <<<"$described")" = /orders/7
check "raw query" test "$(json_field raw_query <<<"$described")" = x=1
check "traceparent to tracing" test "$(json_field trace_id <<<"$described")" = 4bf92f3577b34da6a3ce929d0e0e4736
check "call id from the trace id" test "$(json_field call_id <<<"$described")" = 4bf92f3577b34da6a3ce929d0e0e4736
check "binary CloudEvent" test "$(json_field cloud_event_type <<<"$described")" = order.new
check "K_SERVICE names the function" test "$(json_field fn_name <<<"$described")" = greeter
check "K_REVISION as a platform attribute" test "$(json_field revision <<<"$described")" = greeter-00001
check "platform http" test "$(json_field platform <<<"$described")" = http
check "no deadline without a timeout source (has_deadline)" test "$(json_field has_deadline <<<"$described")" = False
remaining=$(call "$port" /  | json_field time_remaining_ms)
check "no deadline without a timeout source" test "$remaining" -gt 100000000000

# Failures.
response=$(call "$port" -w '\n%{http_code}' -H 'X-Do: throw' -H 'X-Call-Id: c-throw' /)
check "throw answers 500" test "$(tail -n1 <<<"$response")" = 500
check "500 JSON names the call" test "$(head -n1 <<<"$response" | json_field call_id)" = c-throw
check "500 JSON has a message" grep -q 'asked to throw' <<<"$response"
check "stderr line with severity and level" grep -q '"level":"error","severity":"ERROR","call_id":"c-throw"' "$dir/fn.stderr"
status=$(call "$port" -o /dev/null -w '%{http_code}' -H 'X-Do: http-error' -H 'X-Status: 418' /)
check "HttpError status" test "$status" = 418
status=$(head -c 200000 /dev/zero | call "$port" -o /dev/null -w '%{http_code}' -H 'Expect:' --data-binary @- /)
check "oversize body answered 413" test "$status" = 413
body=$(call "$port" -H 'X-Do: echo' -d 'still here' /)
check "still serving after errors" test "$body" = 'still here'

# Chunked upload, HEAD, keep-alive.
body=$(head -c 50000 /dev/zero | call "$port" -H 'X-Do: size' -H 'Transfer-Encoding: chunked' -H 'Expect:' \
  --data-binary @- /)
check "chunked request body" test "$body" = 50000
head_response=$(curl --silent --max-time 10 --head -H 'X-Do: echo' "http://127.0.0.1:$port/")
check "HEAD answered" grep -q '^HTTP/1.1 200' <<<"$head_response"
verbose=$(curl --silent --verbose --max-time 10 -H 'X-Do: echo' -d 'ka' "http://127.0.0.1:$port/a" \
  "http://127.0.0.1:$port/b" 2>&1)
check "keep-alive reuses the connection" grep -qi 're-using existing connection' <<<"$verbose"

# SIGTERM with a call in flight: the call is finished, then the process exits 0.
call "$port" -H 'X-Do: sleep' -H 'X-Millis: 3000' / >"$dir/inflight.out" &
inflight=$!
# An idle keep-alive connection: one answered request, then it waits for the server to close.
python3 - "$port" "$dir/idle.ready" >"$dir/idle.out" <<'PY' &
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Do: size\r\nContent-Length: 0\r\n\r\n")
head = b""
while not head.endswith(b"\r\n\r\n0"):
    head += s.recv(1)
open(sys.argv[2], "w").close()
s.settimeout(2.5)  # well before the call in flight ends
try:
    print("closed" if s.recv(4096) == b"" else "data")
except socket.timeout:
    print("still open")
PY
idle=$!
# SIGTERM only once both connections are up (bounded wait; a loaded machine may be slow).
for _ in $(seq 100); do
  [[ -e $dir/idle.ready ]] && (($(ss -Htn state established "( sport = :$port )" | wc -l) >= 2)) && break
  sleep 0.1
done
sleep 0.3
started=$(date +%s%N)
kill -TERM "$fn_pid"
wait "$inflight"
check "call in flight finished during drain" test "$(cat "$dir/inflight.out")" = slept
wait "$idle"
check "idle keep-alive connection closed at SIGTERM" test "$(cat "$dir/idle.out")" = closed
wait "$fn_pid"
check "exit 0 after SIGTERM" test $? -eq 0
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
check "exited within 10 s" test "$elapsed_ms" -lt 10000
check "no new connections after SIGTERM" test "$(curl --silent -o /dev/null -w '%{http_code}' --max-time 2 \
  "http://127.0.0.1:$port/")" = 000

# FDK_TIMEOUT: 504 at the deadline, and the handler sees cancelled().
port=$(free_port)
start timeout "$port" "$behaviours" FDK_TIMEOUT=1s
timeout_pid=$last_pid
response=$(call "$port" -w '\n%{http_code}' -H 'X-Do: wait-for-cancel' /)
check "FDK_TIMEOUT answers 504" test "$(tail -n1 <<<"$response")" = 504
sleep 0.2
check "the handler saw cancelled()" test "$(call "$port" -H 'X-Do: last-saw-cancel' /)" = yes
kill -TERM "$timeout_pid"

# FDK_MAX_CONCURRENCY=1: two calls of 600 ms take at least 1.2 s together.
port=$(free_port)
start serial "$port" "$behaviours" FDK_MAX_CONCURRENCY=1
serial_pid=$last_pid
started=$(date +%s%N)
call "$port" -H 'X-Do: sleep' -H 'X-Millis: 600' / >"$dir/one.out" &
first=$!
call "$port" -H 'X-Do: sleep' -H 'X-Millis: 600' / >"$dir/two.out"
wait "$first"
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
check "both queued calls answered" test "$(cat "$dir/one.out" "$dir/two.out")" = "sleptslept"
check "one call at a time" test "$elapsed_ms" -ge 1200
kill -TERM "$serial_pid"

# of-watchdog http mode: listen on upstream_url's port, not on PORT (which the watchdog holds).
upstream=$(free_port)
env PORT=1 mode=http upstream_url="http://127.0.0.1:$upstream" "$hello" 2>"$dir/upstream.stderr" &
pids+=($!)
upstream_pid=$!
for _ in $(seq 1 500); do
  curl --silent -o /dev/null --max-time 1 "http://127.0.0.1:$upstream/" && break
  sleep 0.01
done
body=$(call "$upstream" -H 'Content-Type: application/json' -d '{"name":"watchdog"}' /)
check "of-watchdog http: served on upstream_url" test "$body" = '{"message":"Hello watchdog"}'
check "the platform line names upstream_url" grep -q 'platform http (mode=http, upstream_url=' "$dir/upstream.stderr"
kill -TERM "$upstream_pid"

finish_checks
