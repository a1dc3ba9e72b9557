#!/usr/bin/env bash
# Conformance with Knative Serving's queue-proxy (the sidecar in front of every revision), run
# outside Kubernetes in a network namespace of its own that has only the loopback interface.
# The function listens on PORT=8080, as Knative tells it to; the queue-proxy on 8012 proxies to it.
# usage: knative_queue_proxy_test.sh HELLO_BINARY BEHAVIOURS_BINARY
# Needs root (for the namespace) and the queue-proxy (scripts/setup.sh builds it into
# /tmp/gobin/queue; FDK_KNATIVE_QUEUE names another); skips with one line otherwise.
set -uo pipefail

hello=$1
behaviours=$2
queue=${FDK_KNATIVE_QUEUE:-/tmp/gobin/queue}

if [[ ${FDK_IN_NETNS:-} != 1 ]]; then
  [[ -x $queue ]] || { echo "skipped: no Knative queue-proxy at $queue (scripts/setup.sh builds it)"; exit 77; }
  [[ $(id -u) -eq 0 ]] || { echo "skipped: needs root for a private network namespace"; exit 77; }
  exec env FDK_IN_NETNS=1 timeout 100 unshare --net -- "$0" "$@"
fi

ip link set lo up
dir=$(mktemp -d /tmp/fdk-knative-XXXXXX)
pids=()
# shellcheck source=tests/integration/check.sh
source "$(dirname "$0")/check.sh"
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  rm -rf "$dir"
}
trap cleanup EXIT
on_failure() { tail -n 5 "$dir"/*.log >&2; }

wait_for() {  # wait_for URL: until something answers there (5 s)
  for _ in $(seq 1 500); do
    curl --silent --output /dev/null --max-time 1 "$1" && return 0
    sleep 0.01
  done
  echo "nothing answered at $1 within 5 s" >&2
  return 1
}

# The variables the queue-proxy requires (knative.dev/serving pkg/queue/sharedmain: config, Env).
start_queue_proxy() {
  env CONTAINER_CONCURRENCY=0 QUEUE_SERVING_PORT=8012 QUEUE_SERVING_TLS_PORT=8112 USER_PORT=8080 \
    REVISION_TIMEOUT_SECONDS=3 SERVING_LOGGING_CONFIG='' SERVING_LOGGING_LEVEL=info \
    SERVING_NAMESPACE=default SERVING_SERVICE=hello SERVING_CONFIGURATION=hello SERVING_REVISION=hello-00001 \
    SERVING_POD=hello-00001-deployment SERVING_POD_IP=127.0.0.1 \
    SERVING_READINESS_PROBE='{"tcpSocket":{"port":8080,"host":"127.0.0.1"},"successThreshold":1}' \
    "$queue" >"$dir/queue.log" 2>&1 &
  pids+=($!)
}

# The function as Knative starts it: PORT and the K_* variables.
start_function() {
  local binary=$1
  shift
  env PORT=8080 K_SERVICE=hello K_CONFIGURATION=hello K_REVISION=hello-00001 "$@" "$binary" \
    >"$dir/function.log" 2>&1 </dev/null &
  function_pid=$!
  pids+=("$function_pid")
  wait_for http://127.0.0.1:8080/
}

function_pid=
start_function "$hello"
start_queue_proxy
wait_for http://127.0.0.1:8012/

body=$(curl --silent --max-time 10 -H 'Content-Type: application/json' -d '{"name":"Knative"}' \
  http://127.0.0.1:8012/)
check "round trip through the queue-proxy" test "$body" = '{"message":"Hello Knative"}'
probe=$(curl --silent -o /dev/null -w '%{http_code}' --max-time 10 -H 'K-Network-Probe: queue' \
  http://127.0.0.1:8012/)
check "queue-proxy readiness probe answered after its TCP probe of the function" test "$probe" = 200
kill -TERM "$function_pid"
wait "$function_pid"
check "the function exits 0 on SIGTERM" test $? -eq 0

# The behaviours function: what the queue-proxy passes through, and who answers at the timeout.
start_function "$behaviours" FDK_TIMEOUT=1s
described=$(curl --silent --max-time 10 -H 'Host: hello.default.example.com' \
  -H 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' \
  -H 'ce-id: 1' -H 'ce-source: /s' -H 'ce-specversion: 1.0' -H 'ce-type: order.new' \
  'http://127.0.0.1:8012/orders?x=1')
field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1" <<<"$described"; }
check "Host reaches the function" test "$(field host)" = hello.default.example.com
check "request_url rebuilt" test "$(field url)" = 'http://hello.default.example.com/orders?x=1'
check "traceparent reaches tracing()" test "$(field trace_id)" = 4bf92f3577b34da6a3ce929d0e0e4736
check "ce-* reach cloud_event()" test "$(field cloud_event_type)" = order.new
check "K_SERVICE names the function" test "$(field fn_name)" = hello

headers=$(curl --silent -D - -o /dev/null --max-time 10 -H 'X-Do: cookies' http://127.0.0.1:8012/)
check "handler status through the queue-proxy" grep -q '^HTTP/1.1 201' <<<"$headers"
check "two Set-Cookie through the queue-proxy" test "$(grep -ci '^Set-Cookie:' <<<"$headers")" -eq 2

response=$(curl --silent -w '\n%{http_code}' --max-time 10 -H 'X-Do: wait-for-cancel' -H 'X-Call-Id: k1' \
  http://127.0.0.1:8012/)
check "FDK_TIMEOUT answers 504 before the queue-proxy's own timeout" test "$(tail -n1 <<<"$response")" = 504
check "the 504 is the FDK's JSON, not 'request timeout'" grep -q '"call_id":"k1"' <<<"$response"

response=$(curl --silent -w '\n%{http_code}' --max-time 10 -H 'X-Do: throw' http://127.0.0.1:8012/)
check "throw answers 500 through the queue-proxy" test "$(tail -n1 <<<"$response")" = 500

finish_checks
