#!/bin/sh
# Generates a throwaway test CA and a server certificate for 127.0.0.1 and localhost, signed by
# it. Used by the build (meson custom_target) for the emulator's HTTPS; never for production.
# usage: make-test-ca.sh OUTPUT_DIR
set -eu
out=$1
mkdir -p "$out"
cd "$out"
openssl req -x509 -newkey rsa:2048 -nodes -keyout test-ca.key -out test-ca.pem -days 3650 \
  -subj "/CN=fdk-cpp OCI emulator test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > server.ext
openssl x509 -req -in server.csr -CA test-ca.pem -CAkey test-ca.key -CAcreateserial -out server.pem \
  -days 3650 -extfile server.ext 2>/dev/null
rm -f server.csr server.ext test-ca.srl
