#!/usr/bin/env bash
# Runs a function image the way the Fn agent's Docker driver does, so that fdk-invoke can
# drive it from the host:   fdk-invoke [options] -- tests/containers/run-like-agent.sh IMAGE
#
# fdk-invoke gives its child FN_LISTENER=unix:DIR/lsnr.sock; DIR is mounted at /tmp/iofs and
# the function sees FN_LISTENER=unix:/tmp/iofs/lsnr.sock. The container runs with a read-only
# root, uid 1000, every capability dropped, 128 MB of memory, no network, a writable /tmp.
# The environment fdk-invoke sets for the call (FN_*, OCI_* and the names listed in
# AGENT_FORWARD_ENV, i.e. the function's config) is passed on. Also read:
#   AGENT_NETWORK   docker network mode when the function needs one (default: none)
#   AGENT_MOUNTS    space-separated host directories mounted read-only at the same path
#   AGENT_NAME      container name (default: fdk-agent-<pid>)
# docker run's signal proxy hands fdk-invoke's SIGTERM to the function; --rm removes it.
set -euo pipefail
(($# == 1)) || { echo "usage: run-like-agent.sh IMAGE (FN_LISTENER set by fdk-invoke)" >&2; exit 2; }
image=$1
listener=${FN_LISTENER:?run-like-agent.sh: FN_LISTENER is not set; run me through fdk-invoke}
socket_dir=$(dirname "${listener#unix:}")
# The function runs as uid 1000 and creates its socket here; the agent's iofs dir is as open.
chmod 0777 "$socket_dir"

args=(run --rm --name "${AGENT_NAME:-fdk-agent-$$}"
  --read-only --user 1000:1000 --cap-drop ALL --security-opt no-new-privileges
  --memory 128m --memory-swap 128m --network "${AGENT_NETWORK:-none}"
  --tmpfs "/tmp:rw,nosuid,nodev,size=16m" --label fdk-cpp-test=containers
  -v "$socket_dir:/tmp/iofs" -e FN_LISTENER=unix:/tmp/iofs/lsnr.sock)
for name in $(compgen -e); do
  case $name in
    FN_LISTENER) ;;
    FN_* | OCI_*) args+=(-e "$name") ;;
  esac
done
for name in ${AGENT_FORWARD_ENV:-}; do args+=(-e "$name"); done
for dir in ${AGENT_MOUNTS:-}; do args+=(-v "$dir:$dir:ro"); done
exec docker "${args[@]}" "$image"
