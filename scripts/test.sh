#!/usr/bin/env bash
# THE test command: installs what is missing, builds, and runs the whole suite (unit and
# integration tests; CTest starts and stops the emulators around the integration tests).
#
#   scripts/test.sh [CTEST_ARGS...]     e.g. scripts/test.sh -L unit, scripts/test.sh -R Sigv4
#
# Exit status: CTest's.
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
ctest --test-dir "$SCAVENGER_BUILD_DIR" --output-on-failure --no-tests=error -j 2 "$@" || rc=$?
exit "$rc"
