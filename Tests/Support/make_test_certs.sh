#!/usr/bin/env bash
# make_test_certs.sh DIR - throw-away TLS material for the SMTP integration tests.
#
# Writes (overwriting) into DIR, all EC P-256, valid 2 days:
#   ca.pem / ca.key          self-signed test CA (CA:TRUE, keyUsage keyCertSign,cRLSign)
#   server.pem / server.key  signed by the CA; SAN IP:127.0.0.1, DNS:localhost; EKU serverAuth
#   wrong.pem / wrong.key    signed by the CA; SAN DNS:wrong.example.test only (hostname mismatch)
# Clients trust it with e.g. `curl --cacert DIR/ca.pem smtps://127.0.0.1:PORT/...`.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 64
fi
dir=$1
mkdir -p "$dir"
cd "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

newkey ca.key
openssl req -x509 -new -key ca.key -sha256 -days 2 -subj "/CN=Herald Test CA" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash" \
  -out ca.pem 2>/dev/null

# leaf NAME CN SAN
leaf() {
  local name=$1 cn=$2 san=$3
  newkey "$name.key"
  openssl req -new -key "$name.key" -subj "/CN=$cn" -out "$tmp/$name.csr" 2>/dev/null
  cat >"$tmp/$name.ext" <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=$san
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EOF
  openssl x509 -req -in "$tmp/$name.csr" -CA ca.pem -CAkey ca.key \
    -set_serial "0x$(openssl rand -hex 16)" -sha256 -days 2 \
    -extfile "$tmp/$name.ext" -out "$name.pem" 2>/dev/null
}

leaf server localhost "IP:127.0.0.1,DNS:localhost"
leaf wrong wrong.example.test "DNS:wrong.example.test"
chmod 600 ca.key server.key wrong.key
