#!/usr/bin/env bash
# The OCI examples end to end on this machine, with nothing from OCI: installs what is needed,
# builds fdk-cpp, starts the local OCI emulator (a stopped Compute instance, an inactive
# Container Instance and the Vault secret naming it), gives the functions resource principal
# credentials the emulator trusts (a key generated here and a session token file), then runs
# examples/start-compute and examples/start-stop-container-instance through fdk-invoke.
#
#   scripts/demo-oci.sh              build directory ./build (like scripts/demo.sh)
#   BUILD_DIR=build-x scripts/demo-oci.sh
set -euo pipefail
cd "$(dirname "$0")/.."

build=${BUILD_DIR:-build}
echo "== set-up (apt packages)"
scripts/setup.sh
[[ -f $build/build.ninja ]] || meson setup "$build" >/dev/null

emulator_bin=$build/tools/oci-emulator/oci-emulator
invoke_bin=$build/tools/invoker/fdk-invoke
start_compute=$build/examples/start-compute/start-compute
start_stop=$build/examples/start-stop-container-instance/start-stop-container-instance
# Only the four programs the demo runs, and the emulator's test CA.
echo "== build the emulator, fdk-invoke and the two OCI examples in $build"
ninja -C "$build" "${emulator_bin#"$build"/}" "${invoke_bin#"$build"/}" "${start_compute#"$build"/}" \
  "${start_stop#"$build"/}" tools/oci-emulator/test-ca.pem || {
  echo "demo-oci: the build failed (is libssl-dev installed? fdk-oci needs OpenSSL; scripts/setup.sh installs it)" >&2
  exit 1
}
for binary in "$emulator_bin" "$invoke_bin" "$start_compute" "$start_stop"; do
  [[ -x $binary ]] || { echo "demo-oci: $binary was not built (is libssl-dev installed? fdk-oci needs OpenSSL)" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/fdk-demo-oci.XXXXXX")
emulator_pid=""
cleanup() {
  if [[ -n $emulator_pid ]]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

instance=ocid1.instance.oc1.iad.demo
container=ocid1.computecontainerinstance.oc1.iad.demo
secret=ocid1.vaultsecret.oc1.iad.demo

# Resource principal credentials: an RSA key, and a session token (JWT) naming a tenancy and
# expiring in an hour. The emulator checks signatures with the public half and the token's
# expiry; like the OCI SDKs, it does not verify the token's own signature.
openssl genrsa -out "$work/rp_key.pem" 2048 2>/dev/null
openssl rsa -in "$work/rp_key.pem" -pubout -out "$work/rp_key.pub" 2>/dev/null
base64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
expires=$(($(date +%s) + 3600))
token="$(printf '{"alg":"RS256","typ":"JWT"}' | base64url).$(printf \
  '{"res_tenant":"ocid1.tenancy.oc1..demo","res_compartment":"ocid1.compartment.oc1..demo","res_type":"fnfunc","exp":%s}' \
  "$expires" | base64url).$(printf 'demo' | base64url)"
printf '%s\n' "$token" > "$work/rpst"

cat > "$work/state.json" <<JSON
{
  "trusted_public_keys": ["$work/rp_key.pub"],
  "instances": [{"id": "$instance", "displayName": "demo-vm", "lifecycleState": "STOPPED"}],
  "container_instances": [{"id": "$container", "displayName": "demo-ci", "lifecycleState": "INACTIVE"}],
  "secrets": [{"id": "$secret", "content": "$container"}]
}
JSON

"$emulator_bin" --port 0 --port-file "$work/port" --state "$work/state.json" --transition-delay-ms 3000 \
  --no-instance-identity >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 100); do
  [[ -s $work/port ]] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; exit 1; }
  sleep 0.1
done
[[ -s $work/port ]] || { echo "demo-oci: the emulator did not start" >&2; exit 1; }
emulator=https://127.0.0.1:$(cat "$work/port")
ca=$(realpath "$build/tools/oci-emulator/test-ca.pem")
echo "== OCI emulator at $emulator"

# What OCI Functions would set, and the endpoint overrides pointing at the emulator.
function_config=(
  -e OCI_RESOURCE_PRINCIPAL_VERSION=2.2
  -e "OCI_RESOURCE_PRINCIPAL_RPST=$work/rpst"
  -e "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM=$work/rp_key.pem"
  -e OCI_RESOURCE_PRINCIPAL_REGION=iad
  -e "OCI_COMPUTE_ENDPOINT=$emulator"
  -e "OCI_CONTAINER_INSTANCES_ENDPOINT=$emulator"
  -e "OCI_SECRETS_ENDPOINT=$emulator"
  -e "OCI_CA_BUNDLE=$ca"
  -e POLL_INTERVAL_SECONDS=1
  -e "SECRET_OCID=$secret"
)

show_states() {
  echo "-- emulator state: $(curl -sS --cacert "$ca" "$emulator/_emulator/state" |
    grep -o '"id":"[^"]*","lifecycleState":"[A-Z_]*"' | sed 's/"id":"\([^"]*\)","lifecycleState":"\([A-Z_]*\)"/\1 \2/' |
    paste -sd ';' | sed 's/;/; /g')"
}

# fdk-invoke prints the function's log (its state changes, on stderr) and, with -i, the
# response with Fn-Http-Status (the status the caller sees).
call() {
  local binary=$1 body=$2
  echo
  echo "== fdk-invoke -d '$body' -- $binary"
  "$invoke_bin" -i --timeout 60 -t application/json -d "$body" "${function_config[@]}" -- "$binary"
  show_states
}

show_states
call "$start_compute" "{\"instance_id\": \"$instance\"}"
call "$start_stop" '{"action": "start"}'
call "$start_stop" ''
call "$start_stop" '{"action": "stop"}'
