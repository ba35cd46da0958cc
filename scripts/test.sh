#!/usr/bin/env bash
# THE test command: installs what is missing, builds, and runs the whole suite:
#   1. the unit and integration tests (CTest starts and stops the emulators around the latter);
#   2. every libFuzzer target for a bounded time (scripts/fuzz.sh, 30 s each);
#   3. the unit tests and an integration slice under ASan+UBSan+LSan, then TSan
#      (scripts/test-sanitizers.sh, each in its own build directory).
#
#   scripts/test.sh                     everything
#   scripts/test.sh [CTEST_ARGS...]     only stage 1, with these arguments to CTest
#                                       e.g. scripts/test.sh -L unit, scripts/test.sh -R Sigv4
#
# Exit status: 0 when every stage passed, else the first failing stage's.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

"$SCAVENGER_SCRIPTS/setup.sh"
"$SCAVENGER_SCRIPTS/build.sh"

# CTest's `emulators_stop` fixture stops the emulators; this covers an interrupted run too.
emulator_state=$SCAVENGER_BUILD_DIR/test-emulators
trap '"$SCAVENGER_SCRIPTS/test-emulators.sh" stop "$emulator_state" || true' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

rc=0
stage() {  # stage NAME COMMAND...: runs it, timed; the first failure's status becomes ours
  local started=$SECONDS status=0
  say "stage: $1"
  "${@:2}" || status=$?
  say "stage: $1: $( ((status == 0)) && echo passed || echo "FAILED ($status)") in $((SECONDS - started)) s"
  ((rc != 0 || status == 0)) || rc=$status
}
stage "unit and integration tests" ctest --test-dir "$SCAVENGER_BUILD_DIR" --output-on-failure --no-tests=error -j 2 "$@"
if (($# == 0)); then
  stage "fuzzing" "$SCAVENGER_SCRIPTS/fuzz.sh"
  stage "sanitizers" "$SCAVENGER_SCRIPTS/test-sanitizers.sh"
fi
exit "$rc"
