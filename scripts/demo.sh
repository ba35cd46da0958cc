#!/usr/bin/env bash
# THE demo command: installs what is missing, builds, starts DynamoDB Local on a free loopback
# port, runs the demo against it, and stops the emulator again (also when the demo fails).
#
#   scripts/demo.sh [DEMO_ARGS...]
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

"$SCAVENGER_SCRIPTS/setup.sh"
"$SCAVENGER_SCRIPTS/build.sh"

demo=$SCAVENGER_BUILD_DIR/app/scavenger-smoke
[[ -x $demo ]] || die "$demo was not built"

state=$(mktemp -d "${TMPDIR:-/tmp}/scavenger-demo.XXXXXX")
trap '"$SCAVENGER_SCRIPTS/dynamodb-local.sh" stop "$state" || true; rm -rf "$state"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "starting DynamoDB Local"
url=$("$SCAVENGER_SCRIPTS/dynamodb-local.sh" start "$state")
say "DynamoDB Local answers at $url"

# DynamoDB Local checks no signature: the demo never needs (nor sees) real AWS credentials.
export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo AWS_REGION=us-east-1
unset AWS_SESSION_TOKEN AWS_PROFILE
export NO_PROXY=127.0.0.1${NO_PROXY:+,$NO_PROXY} no_proxy=127.0.0.1${no_proxy:+,$no_proxy}

rc=0
"$demo" --endpoint-url "$url" "$@" || rc=$?
exit "$rc"
