#!/usr/bin/env bash
# THE benchmark command: the original Go scavenger's experiment (SPEC §1) for scavenger, on the
# embedded DynamoDB Local. Installs what is missing, builds (build/, like demo.sh), then runs
# bench/harness: for each of the original's rows and both delete modes it reseeds a fresh
# 130,000-item / 3,300-survivor table, runs `scavenger run`, verifies the survivors exactly and
# records time, CPU, memory, requests and consumed units; then the latency profile (behind a
# delaying proxy it starts and stops itself) and the Lambda-size profile (the client inside
# control groups it creates and removes itself). Writes BENCHMARKS.md, bench/results/chart.svg
# and bench/results/results.json. About an hour and a half on 2 cores; needs root for the
# control groups (without them the Lambda-size profile is reported as not run).
#
#   scripts/bench.sh [HARNESS_OPTIONS...]    e.g. --rows 128/1/1,1024/10/20 --items 20000
#   scripts/bench.sh --help                  the harness's options
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

if [[ " $* " != *" --help "* && " $* " != *" -h "* && " $* " != *" --report-only "* ]]; then
  "$SCAVENGER_SCRIPTS/setup.sh"
  "$SCAVENGER_SCRIPTS/build.sh"
  for binary in app/scavenger bench/scavenger_delay_proxy; do
    [[ -x $SCAVENGER_BUILD_DIR/$binary ]] || die "$SCAVENGER_BUILD_DIR/$binary was not built"
  done
fi
cd "$SCAVENGER_ROOT"
PYTHONPATH=$SCAVENGER_ROOT/bench exec python3 -m harness --build-dir "$SCAVENGER_BUILD_DIR" "$@"
