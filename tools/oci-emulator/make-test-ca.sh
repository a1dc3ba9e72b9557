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

# Instance principal identity: an intermediate CA and an instance certificate whose subject
# carries the tenancy (opc-tenant:...), served by the emulator's metadata endpoints.
openssl req -newkey rsa:2048 -nodes -keyout instance-intermediate.key -out intermediate.csr \
  -subj "/CN=fdk-cpp OCI emulator intermediate" 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n' > intermediate.ext
openssl x509 -req -in intermediate.csr -CA test-ca.pem -CAkey test-ca.key -CAcreateserial \
  -out instance-intermediate.pem -days 3650 -extfile intermediate.ext 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout instance-key.pem -out instance.csr \
  -subj "/CN=ocid1.instance.oc1.iad.emulator/OU=opc-certtype:instance/OU=opc-instance:ocid1.instance.oc1.iad.emulator/OU=opc-compartment:ocid1.compartment.oc1..emulator/OU=opc-tenant:ocid1.tenancy.oc1..emulator" 2>/dev/null
printf 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n' > instance.ext
openssl x509 -req -in instance.csr -CA instance-intermediate.pem -CAkey instance-intermediate.key \
  -CAcreateserial -out instance-cert.pem -days 3650 -extfile instance.ext 2>/dev/null
rm -f intermediate.csr intermediate.ext instance.csr instance.ext ./*.srl
