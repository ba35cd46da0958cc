#!/usr/bin/env bash
# Configures (Ninja, the project's default build type RelWithDebInfo) and builds everything.
#
#   scripts/build.sh [CMAKE_ARGS...]    e.g. scripts/build.sh -DSCAVENGER_SANITIZE=address
#
# The build directory is build/ (or $SCAVENGER_BUILD_DIR). Extra arguments go to the configure step.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

generator=()
[[ -f $SCAVENGER_BUILD_DIR/CMakeCache.txt ]] || generator=(-G Ninja)  # an existing tree keeps its own
cmake -S "$SCAVENGER_ROOT" -B "$SCAVENGER_BUILD_DIR" "${generator[@]}" "$@"
cmake --build "$SCAVENGER_BUILD_DIR" -j "$(nproc)"
