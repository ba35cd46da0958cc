#!/usr/bin/env bash
# scavenger vs the endpoint's ceiling, side by side in one run on DynamoDB Local.
#
#   bench/scavenger_vs_ceiling.sh [--items N] [--survivors S] [--modes batch,conditional]
#                                 [--rounds N] [--build-dir DIR]
#
# For each mode (batch, then conditional) on a table of the original's shape (N items, S of
# which survive the original's rule; default 130,000 / 3,300, SPEC §1):
#   ceiling   a raw parallel Scan with the original filter and a key-only projection, plus a
#             raw driver deleting the known expired keys with the requests the mode sends
#             (BatchWriteItem of 25 for batch; for conditional, DeleteItem with the condition
#             scavenger sends, the age value as scanned) at a few concurrencies C; the fastest
#             scan and the fastest delete (the best C) added. Conditional mode also measures,
#             once after its rounds at the best C, unconditional DeleteItems: a reference for
#             what the condition costs the emulator, not a ceiling for a mode that must send it.
#   scavenger `scavenger run` with the original's predicate, scan included, under
#             /usr/bin/time -v (wall, user+sys CPU, peak RSS): at --readers 10 --deleters C
#             for each C of the ceiling (32, the default, among them), and at --readers 100
#             --deleters 100 --page-size 100 for the RSS figure. After each run,
#             `scavenger plan --all` must count exactly S items left.
# Rounds: this machine's speed drifts by 20-30 % over minutes (a shared VM: the same run takes
# 12.4 s, then 16.7 s), so one pass compares a ceiling measured in a fast minute with a
# scavenger run in a slow one. Each round measures every ceiling step and every scavenger
# configuration once, each ceiling delete at C followed at once by scavenger at --deleters C,
# and each figure is the fastest of its --rounds (default 3) measurements, for both sides
# alike. The paired ratios divide each scavenger run by the ceiling measured just before it,
# in the same minute; their median over the rounds does not hinge on one lucky minute as a
# fastest-of-N does. The table is seeded afresh before every destructive step.
# Prints a Markdown table. DynamoDB Local spends ~2.5 ms of CPU per request, so conditional
# mode (one DeleteItem per item) is emulator-bound: ~2 minutes per pass at 130,000 items, about
# 15 minutes per round; `--rounds 1` for a quick look.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
items=130000
survivors=
modes=batch,conditional
rounds=3
build=$root/build
# Both lists hold 32, scavenger's default --deleters, so the default gets a paired ceiling too.
batch_concurrencies=(4 8 16 32)
item_concurrencies=(8 16 32)
table=scavenger_bench_workers

die() { echo "scavenger_vs_ceiling: $*" >&2; exit 1; }
while (($#)); do
  case $1 in
    --items) items=$2; shift 2 ;;
    --survivors) survivors=$2; shift 2 ;;
    --modes) modes=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --build-dir) build=$(cd "$2" && pwd); shift 2 ;;
    -h | --help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done
# Default: the original's proportion, 3,300 of 130,000.
[[ -n $survivors ]] || survivors=$((items * 33 / 1300))
expected=$((items - survivors))

scavenger=$build/app/scavenger
driver=$build/bench/scavenger_ceiling_driver
[[ -x $scavenger ]] || die "$scavenger not built (ninja -C $build scavenger)"
[[ -x $driver ]] || die "$driver not built (ninja -C $build scavenger_ceiling_driver)"
command -v jq >/dev/null || die "jq not found"
if [[ ! -x /usr/bin/time ]]; then
  apt-get install -y time >/dev/null || die "/usr/bin/time missing and apt-get install time failed"
fi

export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_REGION=us-east-1 AWS_PROFILE=
unset HTTP_PROXY HTTPS_PROXY http_proxy https_proxy

work=$(mktemp -d /tmp/scavenger-vs-ceiling.XXXXXX)
# Private copies: a rebuild in the shared build tree during a long run must not swap binaries.
mkdir "$work/bin"
cp "$scavenger" "$driver" "$work/bin/"
scavenger=$work/bin/scavenger
driver=$work/bin/scavenger_ceiling_driver
cleanup() { "$root/scripts/dynamodb-local.sh" stop "$work" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
url=$("$root/scripts/dynamodb-local.sh" start "$work")
log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
log "DynamoDB Local at $url; $items items, $survivors survivors; modes $modes"

# The original's predicate (test/integration/scavenger/scavenger_test.hpp original_rule).
rule=(--table "$table" --endpoint-url "$url"
  --filter "#Comp = :NCompl OR #Comp = :SCompl"
  --expression-attribute-names '{"#Comp":"Completed"}'
  --expression-attribute-values '{":NCompl":{"N":"1"},":SCompl":{"S":"1"}}'
  --older-than 48h --age-attribute StartExecutionTime)
segments=10  # the ceiling's scan and scavenger's, as the original's TotalSegments = readers

seed() {
  "$scavenger" seed --table "$table" --endpoint-url "$url" --items "$items" --survivors "$survivors" --recreate >/dev/null
}
remaining() { "$scavenger" plan --all --table "$table" --endpoint-url "$url" | jq '.counts.scanned'; }
# The exact set `scavenger run` deletes (the original's rule, now); untimed, it also warms the
# emulator's JIT for the timed scan that follows.
exact_keys() {
  "$driver" scan --table "$table" --endpoint-url "$url" --segments "$segments" --original-rule "${key_lines[@]}" \
    --keys-out "$work/keys.jsonl" >/dev/null
  local count
  count=$(wc -l <"$work/keys.jsonl")
  ((count == expected)) || die "the original's rule selects $count keys, not $expected"
}
# /usr/bin/time -v fields: wall seconds, user+sys seconds, peak RSS in KiB.
time_fields() {
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, p, ":"); wall = 0; for (i = 1; i <= n; i++) wall = wall * 60 + p[i] }
    /User time/ { cpu += $2 } /System time/ { cpu += $2 } /Maximum resident/ { rss = $2 }
    END { printf "%.3f %.3f %d\n", wall, cpu, rss }' "$1"
}

# beats NEW BEST: whether seconds NEW are fewer than BEST (any beat an empty BEST).
beats() { [[ -z $2 ]] || awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
plus() { awk -v a="$1" -v b="$2" -v format="${3:-%.2f}" 'BEGIN { printf format, a + b }'; }

# ceiling_delete C [DRIVER-ARGS]: one raw delete of the known keys at concurrency C, verified;
# sets delete_s, delete_cpu_us (per item).
ceiling_delete() {
  /usr/bin/time -v -o "$work/driver.time" "$driver" delete --table "$table" --endpoint-url "$url" \
    --keys "$work/keys.jsonl" --mode "$driver_mode" --concurrency "$1" "${@:2}" >"$work/delete.json"
  delete_s=$(jq '.seconds' "$work/delete.json")
  local deleted left driver_cpu
  deleted=$(jq '.deleted' "$work/delete.json")
  read -r _ driver_cpu _ < <(time_fields "$work/driver.time")
  left=$(remaining)
  ((deleted == expected && left == survivors)) || die "raw $driver_mode delete at $1: deleted $deleted, $left left"
  delete_cpu_us=$(awk -v c="$driver_cpu" -v n="$deleted" 'BEGIN { printf "%.1f", c * 1e6 / n }')
}

# scavenger_run MODE CONFIG ("SEGMENTS READERS DELETERS [PAGE]"): one run on a fresh table;
# sets wall, cpu, rss_kb, deleted, left, verified, requests.
scavenger_run() {
  local segs readers deleters page_size rc=0
  read -r segs readers deleters page_size <<<"$2"
  local extra=(--segments "$segs" --readers "$readers" --deleters "$deleters" --delete-mode "$1")
  [[ -n ${page_size:-} ]] && extra+=(--page-size "$page_size")
  seed
  /usr/bin/time -v -o "$work/run.time" "$scavenger" run "${rule[@]}" "${extra[@]}" >"$work/run.json" 2>"$work/run.log" || rc=$?
  ((rc == 0)) || { cat "$work/run.log" >&2; die "scavenger run ${extra[*]} exited $rc"; }
  read -r wall cpu rss_kb < <(time_fields "$work/run.time")
  deleted=$(jq '.counts.deleted' "$work/run.json")
  left=$(remaining)
  verified=no
  ((deleted == expected && left == survivors)) && verified=yes
  requests=$(jq -c '.requests' "$work/run.json")
  log "$1: scavenger ${extra[*]}: $wall s, CPU $cpu s, RSS $rss_kb KiB, deleted $deleted, $left left, requests $requests"
}

# measure_ceiling C: one raw delete at concurrency C, kept in delete_all/delete_best/delete_cpu.
measure_ceiling() {
  ceiling_delete "$1" "${ceiling_args[@]}"
  log "$mode: ceiling delete at concurrency $1: $delete_s s, $delete_cpu_us µs CPU/item"
  delete_all[$1]+="${delete_all[$1]:+ }$delete_s"
  if beats "$delete_s" "${delete_best[$1]:-}"; then
    delete_best[$1]=$delete_s
    delete_cpu[$1]=$delete_cpu_us
  fi
}

# measure_scavenger CONFIG: one scavenger run, kept in the run_* tables; sets wall.
measure_scavenger() {
  local config=$1
  scavenger_run "$mode" "$config"
  run_all[$config]+="${run_all[$config]:+ }$wall"
  run_last[$config]=$wall
  if beats "$wall" "${run_best[$config]:-}"; then run_best[$config]=$wall; fi
  run_cpu[$config]=$(plus "${run_cpu[$config]:-0}" "$cpu" %.3f)
  run_cpu_n[$config]=$((${run_cpu_n[$config]:-0} + deleted))
  ((rss_kb > ${run_rss[$config]:-0})) && run_rss[$config]=$rss_kb
  [[ ${run_ok[$config]:-yes} == yes && $verified == yes ]] && run_ok[$config]=yes || run_ok[$config]=no
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

rows=()
details=()
verdicts=()
IFS=, read -r -a mode_list <<<"$modes"
for mode in "${mode_list[@]}"; do
  case $mode in
    batch) driver_mode="batch"; concurrencies=("${batch_concurrencies[@]}"); key_lines=(); ceiling_args=() ;;
    conditional) driver_mode=item; concurrencies=("${item_concurrencies[@]}"); key_lines=(--with-age); ceiling_args=(--condition) ;;
    *) die "unknown mode: $mode (batch or conditional)" ;;
  esac
  scans=() scan_s=
  declare -A delete_best=() delete_all=() delete_cpu=()
  declare -A run_best=() run_all=() run_cpu=() run_cpu_n=() run_rss=() run_ok=() run_last=() paired=()
  best_vs_best=() default_vs_best=()
  for ((round = 1; round <= rounds; round++)); do
    log "$mode: round $round of $rounds: seeding for the ceiling"
    seed
    exact_keys
    round_scan=
    for _ in 1 2; do  # the scan deletes nothing
      s=$("$driver" scan --table "$table" --endpoint-url "$url" --segments "$segments" --keys-out "$work/all.jsonl" | jq '.seconds')
      scans+=("$s")
      if beats "$s" "$scan_s"; then scan_s=$s; fi
      if beats "$s" "$round_scan"; then round_scan=$s; fi
    done
    # Each ceiling step is followed at once by scavenger at the same concurrency: the pair
    # sees the same minute of this drifting machine, and its ratio is the paired figure.
    round_ceiling= round_run= first=1
    for c in "${concurrencies[@]}"; do
      ((first)) || { seed; exact_keys; }  # a reseed moves the timestamps in the range keys
      first=0
      measure_ceiling "$c"
      ceiling_now=$(plus "$round_scan" "$delete_s" %.3f)
      if beats "$ceiling_now" "$round_ceiling"; then round_ceiling=$ceiling_now; fi
      measure_scavenger "10 10 $c"
      paired[$c]+="${paired[$c]:+ }$(ratio "$wall" "$ceiling_now")"
      if beats "$wall" "$round_run"; then round_run=$wall; fi
    done
    default_vs_best+=("$(ratio "${run_last["10 10 32"]}" "$round_ceiling")")
    best_vs_best+=("$(ratio "$round_run" "$round_ceiling")")
    measure_scavenger "100 100 100 100"  # the RSS figure: many readers, small pages
  done
  configs=()
  for c in "${concurrencies[@]}"; do configs+=("10 10 $c"); done
  configs+=("100 100 100 100")

  best_c=
  for c in "${concurrencies[@]}"; do
    if [[ -z $best_c ]] || beats "${delete_best[$c]}" "${delete_best[$best_c]}"; then best_c=$c; fi
  done
  best_s=${delete_best[$best_c]}
  ceiling_s=$(plus "$scan_s" "$best_s" %.3f)
  deletes=
  for c in "${concurrencies[@]}"; do
    deletes+="${deletes:+; }c=$c: ${delete_all[$c]// /, } s (${delete_cpu[$c]} µs CPU/item)"
  done
  if [[ $mode == conditional ]]; then
    # The reference: DeleteItem without the condition, which conditional mode cannot send. It
    # shows what the condition costs DynamoDB Local (it parses and evaluates the expression).
    key_lines=()
    seed; exact_keys
    ceiling_delete "$best_c"
    log "$mode: unconditional delete at concurrency $best_c (reference): $delete_s s"
    deletes+="; unconditional (reference), c=$best_c, once: $delete_s s (scan + that: $(plus "$scan_s" "$delete_s") s)"
  fi
  runs=
  for config in "${configs[@]}"; do
    read -r _ readers deleters page_size <<<"$config"
    runs+="${runs:+; }$readers/$deleters${page_size:+/$page_size}: ${run_all[$config]// /, } s"
  done
  details+=("| $mode | ${scans[*]} | $deletes | $runs |")

  fastest=
  for config in "${configs[@]}"; do
    read -r _ readers deleters page_size <<<"$config"
    wall=${run_best[$config]}
    if [[ -z ${page_size:-} ]] && { [[ -z $fastest ]] || beats "$wall" "${run_best[$fastest]}"; }; then fastest=$config; fi
    same=- same_ratio=-
    if [[ -z ${page_size:-} && -n ${delete_best[$deleters]:-} ]]; then
      same=$(plus "$scan_s" "${delete_best[$deleters]}")
      read -r -a pairs <<<"${paired[$deleters]}"
      same_ratio="$(median "${pairs[@]}") (${pairs[*]})"
    fi
    rows+=("$(awk -v m="$mode" -v r="$readers" -v d="$deleters" -v p="${page_size:--}" -v s="$scan_s" -v del="$best_s" \
      -v c="$best_c" -v t="$ceiling_s" -v w="$wall" -v same="$same" -v same_ratio="$same_ratio" \
      -v cpu="${run_cpu[$config]}" -v n="${run_cpu_n[$config]}" -v rss="${run_rss[$config]}" -v v="${run_ok[$config]}" \
      'BEGIN { printf "| %s | %s / %s / %s | %.2f | %.2f (c=%s) | %.2f | %.2f | **%.2f** | %s | %s | %.1f | %.1f | %s |",
               m, r, d, p, s, del, c, t, w, w / t, same, same_ratio, (n > 0 ? cpu * 1e6 / n : 0), rss / 1024, v }')")
  done
  # Best against best: the ceiling at its best concurrency, scavenger at its best --deleters.
  read -r _ readers deleters _ <<<"$fastest"
  verdicts+=("- $mode, fastest of $rounds: ceiling $ceiling_s s (scan $scan_s + delete at c=$best_c $best_s); fastest scavenger $readers/$deleters ${run_best[$fastest]} s = **$(ratio "${run_best[$fastest]}" "$ceiling_s")** × ceiling; the default 10/32 ${run_best["10 10 32"]} s = $(ratio "${run_best["10 10 32"]}" "$ceiling_s") × (aim ≤ 1.11)")
  verdicts+=("- $mode, paired within each round (scavenger's fastest run of the round / the round's fastest scan + delete): ${best_vs_best[*]}, median **$(median "${best_vs_best[@]}")**; the default 10/32 against the same: ${default_vs_best[*]}, median $(median "${default_vs_best[@]}")")
  unset delete_best delete_all delete_cpu run_best run_all run_cpu run_cpu_n run_rss run_ok run_last paired
done
echo
echo "scavenger vs the endpoint's ceiling: DynamoDB Local, $items items / $survivors survivors, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), load average at start $load_start, at end $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "Each figure: the fastest of $rounds interleaved rounds, ceiling and scavenger alike (CPU: mean over the rounds; RSS: the highest). Paired ratios: scavenger at --deleters c over the scan + delete at c measured just before it in the same round; the median of the rounds, each round in brackets."
echo
echo "| mode | readers / deleters / page | ceiling scan s | ceiling delete s (best c) | ceiling total s | scavenger s | scavenger / ceiling (≤ 1.11) | ceiling at the same c s | paired ratio at the same c | CPU µs / deleted item (< 10) | peak RSS MB (< 20) | verified every round |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
printf '%s\n' "${verdicts[@]}"
echo
echo "| mode | ceiling scans s | ceiling deletes by concurrency, every round | scavenger by readers/deleters[/page], every round |"
echo "|---|---|---|---|"
printf '%s\n' "${details[@]}"
