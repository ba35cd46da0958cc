#!/usr/bin/env bash
# The emulators the integration tests share (the CTest fixture `emulators`, see test/CMakeLists.txt).
#
#   scripts/test-emulators.sh start STATE_DIR
#   scripts/test-emulators.sh stop  STATE_DIR
#
# `start` makes a throw-away test CA with two server certificates (one for IP 127.0.0.1, one for
# DNS wrong.example), starts four emulators in parallel:
#   DYNAMODB_LOCAL           DynamoDB Local, plain HTTP
#   DYNALITE                 dynalite, plain HTTP
#   DYNALITE_TLS             dynalite, HTTPS with the certificate for 127.0.0.1
#   DYNALITE_TLS_WRONG_HOST  dynalite, HTTPS with the certificate for wrong.example
# and writes their URLs and the CA's path to STATE_DIR/endpoints.env (parsed by test/support).
# If any of them fails to start, it stops the others and fails. `stop` stops whatever runs and is
# safe to repeat.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

EMULATORS=(dynamodb-local dynalite dynalite-tls dynalite-tls-wrong-host)
CERT_DAYS=7  # made afresh at every start

usage() { die "usage: $SCRIPT_NAME start|stop STATE_DIR"; }

# make_certs DIR: DIR/ca.pem, and DIR/{ip,wrong-host}.{pem,key} signed by it.
make_certs() {
  local dir=$1 name
  mkdir -p "$dir"
  cat > "$dir/openssl.cnf" <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = scavenger test
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ip]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1
authorityKeyIdentifier = keyid
[wrong-host]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong.example
authorityKeyIdentifier = keyid
CNF
  openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days "$CERT_DAYS" -config "$dir/openssl.cnf" \
    -extensions ca -subj "/CN=scavenger test CA" -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  for name in ip wrong-host; do
    openssl req -new -newkey rsa:2048 -nodes -sha256 -config "$dir/openssl.cnf" \
      -subj "/CN=scavenger test $name" -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
    openssl x509 -req -sha256 -days "$CERT_DAYS" -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
      -set_serial "0x$(openssl rand -hex 12)" -extfile "$dir/openssl.cnf" -extensions "$name" \
      -out "$dir/$name.pem" 2>/dev/null
    openssl verify -CAfile "$dir/ca.pem" "$dir/$name.pem" >/dev/null
  done
}

stop_all() {
  local state=$1 name rc=0
  for name in "${EMULATORS[@]}"; do
    [[ -d $state/$name ]] || continue
    stop_emulator "$state/$name" || rc=1
  done
  rm -f "$state/endpoints.env"
  return "$rc"
}

start_all() {
  local state=$1 started=$SECONDS
  stop_all "$state"
  make_certs "$state/tls"
  mkdir -p "${EMULATORS[@]/#/$state/}"

  local -A pids=()
  "$SCAVENGER_SCRIPTS/dynamodb-local.sh" start "$state/dynamodb-local" >/dev/null & pids[dynamodb-local]=$!
  "$SCAVENGER_SCRIPTS/dynalite.sh" start "$state/dynalite" >/dev/null & pids[dynalite]=$!
  "$SCAVENGER_SCRIPTS/dynalite.sh" start "$state/dynalite-tls" \
    --tls "$state/tls/ip.pem" "$state/tls/ip.key" >/dev/null & pids[dynalite-tls]=$!
  "$SCAVENGER_SCRIPTS/dynalite.sh" start "$state/dynalite-tls-wrong-host" \
    --tls "$state/tls/wrong-host.pem" "$state/tls/wrong-host.key" >/dev/null & pids[dynalite-tls-wrong-host]=$!

  local name failed=()
  for name in "${EMULATORS[@]}"; do
    wait "${pids[$name]}" || failed+=("$name")  # each start script bounds its own wait
  done
  if ((${#failed[@]})); then
    say "failed to start: ${failed[*]}; stopping the others"
    stop_all "$state" || true
    return 1
  fi

  cat > "$state/endpoints.env.tmp" <<ENV
DYNAMODB_LOCAL=$(cat "$state/dynamodb-local/url")
DYNALITE=$(cat "$state/dynalite/url")
DYNALITE_TLS=$(cat "$state/dynalite-tls/url")
DYNALITE_TLS_WRONG_HOST=$(cat "$state/dynalite-tls-wrong-host/url")
TEST_CA=$state/tls/ca.pem
ENV
  mv "$state/endpoints.env.tmp" "$state/endpoints.env"
  say "emulators ready in $((SECONDS - started))s; endpoints in $state/endpoints.env:"
  cat "$state/endpoints.env" >&2
}

(($# == 2)) || usage
case $1 in
  start)
    mkdir -p "$2"
    start_all "$(cd "$2" && pwd)"
    ;;
  stop)
    [[ -d $2 ]] || exit 0
    stop_all "$(cd "$2" && pwd)"
    ;;
  *) usage ;;
esac
