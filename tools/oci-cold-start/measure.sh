#!/usr/bin/env bash
# Measures the cold start of one HTTPS call: libcurl vs OpenSSL directly vs fdk-oci's client,
# against the local emulator. Numbers feed docs/oci-http-client.md.
# usage: tools/oci-cold-start/measure.sh BUILD_DIR   (needs hyperfine; libcurl4-openssl-dev for
#        the curl comparison, skipped when absent)
set -euo pipefail
build=$(cd "${1:?usage: measure.sh BUILD_DIR}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill "${emulator_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

for program in link_none link_ssl get_ssl; do
  cc -O2 -o "$work/$program" "$here/compare/$program.c" -lssl -lcrypto
done
have_curl=false
if pkg-config --exists libcurl; then
  have_curl=true
  for program in link_curl get_curl; do cc -O2 -o "$work/$program" "$here/compare/$program.c" -lcurl; done
fi

# Resource principal credentials the emulator trusts, and a hashed CA directory for the
# comparison programs (the same lookup mechanism as /etc/ssl/certs).
openssl genrsa -out "$work/rp.pem" 2048 2>/dev/null
openssl rsa -in "$work/rp.pem" -pubout -out "$work/rp.pub" 2>/dev/null
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
exp=$(( $(date +%s) + 3600 ))
token="$(printf '{"alg":"RS256"}' | b64url).$(printf '{"res_tenant":"ocid1.tenancy.oc1..t","exp":%d}' "$exp" | b64url).sig"
mkdir "$work/cadir"
cp "$build/tools/oci-emulator/test-ca.pem" "$work/cadir/"
openssl rehash "$work/cadir"
cat > "$work/state.json" <<JSON
{"instances": [{"id": "ocid1.instance.oc1..measure", "lifecycleState": "RUNNING"}]}
JSON

"$build/tools/oci-emulator/oci-emulator" --port 0 --port-file "$work/port" --state "$work/state.json" \
  --trust-key "$work/rp.pub" > /dev/null &
emulator_pid=$!
for _ in $(seq 100); do [[ -s "$work/port" ]] && break; sleep 0.05; done
port=$(cat "$work/port")
url="https://127.0.0.1:$port"

export OCI_RESOURCE_PRINCIPAL_VERSION=2.2 OCI_RESOURCE_PRINCIPAL_RPST="$token"
export OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM="$work/rp.pem" OCI_RESOURCE_PRINCIPAL_REGION=iad
export OCI_COMPUTE_ENDPOINT="$url" OCI_CA_BUNDLE="$build/tools/oci-emulator/test-ca.pem"
export OCI_INSTANCE_ID=ocid1.instance.oc1..measure
probe="$build/tools/oci-cold-start/oci-cold-start"

# One line per command: min, median and mean in milliseconds.
summarise() {
  python3 - "$1" "$work/" <<'PY'
import json, statistics, sys
for result in json.load(open(sys.argv[1]))["results"]:
    times = [t * 1000 for t in result["times"]]
    name = result["command"].replace(sys.argv[2], "")
    print("%7.2f min %7.2f median %7.2f mean   %s" % (min(times), statistics.median(times), statistics.mean(times), name))
PY
}

echo "== process start (linking only)"
commands=("$work/link_none" "$work/link_ssl" "$probe startup")
$have_curl && commands+=("$work/link_curl")
hyperfine -N -w 20 -r 300 --export-json "$work/start.json" "${commands[@]}" > /dev/null 2>&1
summarise "$work/start.json"

echo "== spawn -> socket ready / TLS ready / first response"
commands=("$probe tcp $url" "$probe tls $url" "$probe call" "$work/get_ssl $port $work/cadir")
$have_curl && commands+=("$work/get_curl $url/ $work/cadir" "$work/get_curl $url/ $work/cadir connect-only")
hyperfine -N -w 10 -r 150 --export-json "$work/call.json" "${commands[@]}" > /dev/null 2>&1
summarise "$work/call.json"
