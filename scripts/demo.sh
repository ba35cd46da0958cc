#!/usr/bin/env bash
# THE demo command: the original Go scavenger's experiment, on the embedded DynamoDB Local.
# Installs what is missing, builds, starts DynamoDB Local on a free loopback port, seeds a
# 130,000-item table of the original's shape (3,300 items must survive its rule), runs
# `scavenger run` with the original's filter and 48 h rule, prints the summary, checks that
# exactly the 3,300 survivors remain, and stops the emulator (also when something fails).
#
#   scripts/demo.sh [--items N] [--survivors K] [RUN_OPTIONS...]   e.g. --delete-mode conditional
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

items=130000
survivors=3300
run_options=(--delete-mode batch --segments 10 --deleters 32)
extra=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --items) items=$2; shift 2 ;;
    --survivors) survivors=$2; shift 2 ;;
    *) extra+=("$1"); shift ;;
  esac
done

"$SCAVENGER_SCRIPTS/setup.sh"
"$SCAVENGER_SCRIPTS/build.sh"

scavenger=$SCAVENGER_BUILD_DIR/app/scavenger
[[ -x $scavenger ]] || die "$scavenger was not built"

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

table=Workers
say "seeding $items items ($survivors must survive the original's rule)"
"$scavenger" seed --table "$table" --items "$items" --survivors "$survivors" --endpoint-url "$url" >&2

# The original's predicate: Completed (as N 1 or S "1") and StartExecutionTime older than 48 h.
rule=(--table "$table" --endpoint-url "$url"
      --filter '#Comp = :NCompl OR #Comp = :SCompl'
      --expression-attribute-names '{"#Comp":"Completed"}'
      --expression-attribute-values '{":NCompl":{"N":"1"},":SCompl":{"S":"1"}}'
      --older-than 48h --age-attribute StartExecutionTime)

say "scavenger run ${run_options[*]} ${extra[*]}"
"$scavenger" run "${rule[@]}" "${run_options[@]}" "${extra[@]}"

say "checking what is left"
left=$("$scavenger" plan --table "$table" --endpoint-url "$url" --all --progress never)
again=$("$scavenger" plan "${rule[@]}" --progress never)
python3 - "$left" "$again" "$survivors" <<'PY'
import json, sys
left, again, survivors = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3])
remaining, deletable = left["counts"]["scanned"], again["counts"]["would_delete"]
print(f"demo: {remaining} items remain (expected {survivors}); {deletable} of them match the rule (expected 0)", file=sys.stderr)
sys.exit(0 if remaining == survivors and deletable == 0 else 1)
PY
say "exact: the $survivors survivors remain, nothing else"
