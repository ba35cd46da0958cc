#!/usr/bin/env bash
# Starts or stops dynalite, in memory, on a free 127.0.0.1 port.
#
#   scripts/dynalite.sh start STATE_DIR [--tls CERT KEY]   # prints the URL
#   scripts/dynalite.sh stop  STATE_DIR
#
# STATE_DIR receives `pid`, `url` and `emulator.log`. With --tls it serves HTTPS with CERT/KEY
# (PEM files); without, plain HTTP. `start` returns once dynalite answers ListTables.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() { die "usage: $SCRIPT_NAME start|stop STATE_DIR [--tls CERT KEY]"; }

start() {
  local state=$1; shift
  local tls=()
  if (($#)); then
    [[ $# -eq 3 && $1 == --tls ]] || usage
    [[ -r $2 && -r $3 ]] || die "cannot read $2 or $3"
    tls=(--cert "$(realpath "$2")" --key "$(realpath "$3")")
  fi
  [[ -f $DYNALITE_HOME/package.json ]] || die "dynalite is not installed in $DYNALITE_HOME (run ./scripts/setup.sh)"
  stop_emulator "$state"
  rm -f "$state/port"
  : > "$state/emulator.log"
  launch_emulator "$state" node "$SCAVENGER_SCRIPTS/dynalite-server.js" --dynalite "$DYNALITE_HOME" \
    --port-file "$state/port" --state="$state" "${tls[@]}"

  # The port is known once dynalite listens; wait_ready then bounds the rest of the start-up.
  local i pid
  pid=$(recorded_pid "$state")
  for ((i = 0; i < EMULATOR_START_TIMEOUT_S * 10 && SECONDS < EMULATOR_DEADLINE; i++)); do
    [[ -s $state/port ]] && break
    is_our_emulator "$pid" "$state" || break
    sleep 0.1
  done
  local scheme=http probe=()
  if ((${#tls[@]})); then
    scheme=https probe=(--insecure)  # readiness only: the tests are the ones verifying certificates
  fi
  local port
  port=$(cat "$state/port" 2>/dev/null) || port=0  # 0: not listening yet; wait_ready reports why
  local url=$scheme://127.0.0.1:$port
  wait_ready "$state" "$url" dynalite "${probe[@]}"
  echo "$url"
}

(($# >= 2)) || usage
command=$1
mkdir -p "$2"
state=$(cd "$2" && pwd)
shift 2
case $command in
  start) start "$state" "$@" ;;
  stop) (($# == 0)) || usage; stop_emulator "$state" ;;
  *) usage ;;
esac
