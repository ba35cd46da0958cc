#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with Clang (ASan + UBSan) and runs each for a bounded
# time, starting from its committed seed corpus (fuzz/corpus/TARGET/, read only: new inputs go to
# a scratch corpus in the build directory). Prints executions, exec/s and coverage per target.
#
#   scripts/fuzz.sh [--seconds N] [TARGET...]      e.g. scripts/fuzz.sh --seconds 300 fuzz_rfc3339
#
# Environment (flags win):
#   SCAVENGER_FUZZ_SECONDS       time per target (default 30)
#   SCAVENGER_FUZZ_BUILD_DIR     build directory (default build-fuzz/ in the checkout)
#   SCAVENGER_FUZZ_CXX           the Clang to build with (default clang++-14)
#   SCAVENGER_FUZZ_RSS_LIMIT_MB  memory limit per target (default 2048)
#   SCAVENGER_FUZZ_TIMEOUT_S     time limit per input (default 10; a loaded machine needs slack)
#
# Exit status: 0 when every target ran its time without a finding; 1 when one crashed, broke a
# property, leaked, ran out of memory or timed out: its input's path and the command that
# replays it are printed (copy the input into fuzz/corpus/TARGET/ once fixed).
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

FUZZ_SOURCE_DIR=$SCAVENGER_ROOT/fuzz
build_dir=${SCAVENGER_FUZZ_BUILD_DIR:-$SCAVENGER_ROOT/build-fuzz}
cxx=${SCAVENGER_FUZZ_CXX:-clang++-14}
seconds=${SCAVENGER_FUZZ_SECONDS:-30}
rss_limit_mb=${SCAVENGER_FUZZ_RSS_LIMIT_MB:-2048}
timeout_s=${SCAVENGER_FUZZ_TIMEOUT_S:-10}

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }

targets=()
while (($#)); do
  case $1 in
    --seconds) (($# >= 2)) || usage; seconds=$2; shift 2 ;;
    --seconds=*) seconds=${1#--seconds=}; shift ;;
    -h | --help) usage ;;
    -*) say "unknown option $1"; usage ;;
    *) targets+=("$1"); shift ;;
  esac
done
[[ $seconds =~ ^[1-9][0-9]*$ ]] || die "--seconds must be a positive whole number, not '$seconds'"

all_targets=()
for source in "$FUZZ_SOURCE_DIR"/fuzz_*.cpp; do all_targets+=("$(basename "$source" .cpp)"); done
((${#targets[@]})) || targets=("${all_targets[@]}")
for target in "${targets[@]}"; do
  [[ " ${all_targets[*]} " == *" $target "* ]] || die "no fuzz target '$target' (there are: ${all_targets[*]})"
done

command -v "$cxx" >/dev/null || die "$cxx not found: run ./scripts/setup.sh (it installs clang-14 and libclang-rt-14-dev)"

# ---- build ----

started=$SECONDS
generator=()
[[ -f $build_dir/CMakeCache.txt ]] || generator=(-G Ninja)  # an existing tree keeps its own
cmake -S "$FUZZ_SOURCE_DIR" -B "$build_dir" "${generator[@]}" -DCMAKE_CXX_COMPILER="$cxx" >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target "${targets[@]}"
say "built ${#targets[@]} targets in $((SECONDS - started))s"

# ---- run ----

export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
symbolizer=$(command -v llvm-symbolizer-14 || command -v llvm-symbolizer || true)
[[ -n $symbolizer ]] && export ASAN_SYMBOLIZER_PATH=${ASAN_SYMBOLIZER_PATH:-$symbolizer}

# The value of libFuzzer's final "stat::NAME: value" line in LOG, or "-".
final_stat() { sed -n "s/^stat::$2: *//p" "$1" | tail -n 1 | grep . || echo -; }

# "cov ft corpus" from the last status line ("#N DONE cov: X ft: Y corp: Z/..."), or "- - -".
coverage() {
  local line
  line=$(grep -E '^#[0-9]+.*cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$1" | tail -n 1) || true
  [[ -n $line ]] || { echo "- - -"; return; }
  sed -E 's/.*cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+).*/\1 \2 \3/' <<<"$line"
}

rows=()
failed=()
for target in "${targets[@]}"; do
  run=$build_dir/runs/$target
  rm -rf "$run"
  mkdir -p "$run/corpus" "$run/artifacts"
  dictionary=()
  [[ -f $FUZZ_SOURCE_DIR/dict/$target.dict ]] && dictionary=(-dict="$FUZZ_SOURCE_DIR/dict/$target.dict")
  say "$target: ${seconds}s"
  rc=0
  # New inputs go to the scratch corpus (the first directory); the seeds are only read. The
  # outer timeout bounds a run that libFuzzer's own limits would not stop (a hang at start-up).
  timeout -k 10 "$((seconds + 2 * timeout_s + 60))" "$build_dir/$target" -max_total_time="$seconds" -timeout="$timeout_s" -rss_limit_mb="$rss_limit_mb" \
    -print_final_stats=1 -artifact_prefix="$run/artifacts/" "${dictionary[@]}" \
    "$run/corpus" "$FUZZ_SOURCE_DIR/corpus/$target" >"$run/log" 2>&1 || rc=$?
  read -r cov ft corpus < <(coverage "$run/log")
  result=ok
  if ((rc != 0)); then
    result="FAILED (exit $rc)"
    failed+=("$target")
    say "$target failed; the finding (full log: $run/log):"
    finding=$(awk '/property broken|runtime error|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)/ { shown = 1 }
                   shown && lines++ < 40' "$run/log")
    if [[ -n $finding ]]; then printf '%s\n' "$finding" >&2; else tail -n 30 "$run/log" >&2; fi
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$run/log" | tail -n 1)
    if [[ -n $artifact ]]; then
      say "input: $artifact"
      say "replay: $build_dir/$target $artifact"
    fi
  fi
  rows+=("$(printf '%-28s %10s %8s %6s %7s %7s  %s' "$target" "$(final_stat "$run/log" number_of_executed_units)" \
    "$(final_stat "$run/log" average_exec_per_sec)" "$cov" "$ft" "$corpus" "$result")")
done

printf '%-28s %10s %8s %6s %7s %7s  %s\n' target execs exec/s cov ft corpus result
printf '%s\n' "${rows[@]}"
say "done in $((SECONDS - started))s (logs and scratch corpora in ${build_dir#"$SCAVENGER_ROOT"/}/runs/)"
((${#failed[@]} == 0)) || die "${#failed[@]} fuzz target(s) failed: ${failed[*]}"
