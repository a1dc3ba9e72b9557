#!/usr/bin/env bash
# Installs everything fdk-cpp needs to build, test, fuzz and benchmark on Debian 12.
# Safe to run repeatedly: it only calls apt-get when a package is missing.
set -euo pipefail

packages=(
  build-essential meson ninja-build pkg-config cmake   # toolchain and build systems
  libuv1-dev node-llhttp nlohmann-json3-dev doctest-dev  # core runtime
  libssl-dev openssl ca-certificates                     # OCI signing and TLS
  clang libclang-rt-14-dev                               # libFuzzer and sanitizers
  curl python3 shellcheck hyperfine wrk iproute2         # tests, lint and benchmarks
  debootstrap                                            # container base images (scripts/test-containers.sh)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Knative's queue-proxy for the conformance test (tests/integration/knative_queue_proxy_test.sh),
# pinned by tools/peers/knative-queue. Built once; skipped when present or when Go is missing
# (the test then skips with a line).
peer_bin=${FDK_PEER_BIN_DIR:-/tmp/gobin}
if [[ ! -x $peer_bin/queue ]]; then
  if command -v go >/dev/null; then
    echo "setup: building Knative's queue-proxy into $peer_bin/queue (first time: several minutes)"
    mkdir -p "$peer_bin"
    (cd "$(dirname "$0")/../tools/peers/knative-queue" &&
      GOFLAGS=-mod=mod go build -o "$peer_bin/queue" knative.dev/serving/cmd/queue) ||
      echo "setup: warning: the queue-proxy did not build; the Knative conformance test will skip"
  else
    echo "setup: Go is not installed: the Knative conformance test will skip"
  fi
fi

"$(dirname "${BASH_SOURCE[0]}")/install-go-tools.sh"
