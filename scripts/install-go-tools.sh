#!/usr/bin/env bash
# Installs the pinned Go programs the platform tests run against (reference peers) into
# /usr/local/bin. Called by scripts/setup.sh; quick when they are already there. Tests that
# need a missing program are left out of the build with a configure message.
set -euo pipefail

bin=${FDK_GO_TOOLS_BIN:-/usr/local/bin}

# install_go_tool NAME MODULE VERSION: `go install MODULE@VERSION` unless NAME is that build.
install_go_tool() {
  local name=$1 module=$2 version=$3
  if [[ -x $bin/$name ]] && go version -m "$bin/$name" 2>/dev/null | grep -q "[[:space:]]$version\([[:space:]]\|$\)"; then
    return 0
  fi
  if ! command -v go >/dev/null; then
    echo "setup: go is not installed, so $name is not either (its tests are skipped)" >&2
    return 0
  fi
  if [[ ! -w $bin ]]; then
    echo "setup: cannot write to $bin; run as root or set FDK_GO_TOOLS_BIN to install $name" >&2
    return 0
  fi
  echo "setup: installing $name $version into $bin"
  GOBIN=$bin GOFLAGS=-mod=mod go install "$module@$version"
}

# The AWS Lambda Runtime Interface Emulator (tests/integration/lambda_rie_test.sh).
install_go_tool aws-lambda-rie github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie \
  v0.0.0-20261030222936-bef5c4ba774d
