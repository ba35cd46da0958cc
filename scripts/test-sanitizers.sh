#!/usr/bin/env bash
# The unit tests and a slice of the integration tests under the sanitizers, each in its own build
# directory next to build/:
#
#   asan  build-asan/  AddressSanitizer + LeakSanitizer + UndefinedBehaviorSanitizer
#   tsan  build-tsan/  ThreadSanitizer
#
#   scripts/test-sanitizers.sh [asan] [tsan]     (default: both, in that order)
#
# Exit status: 0 when every stage built and passed, 1 otherwise (all stages run regardless).
#
# The integration tests run the real `scavenger` binary, built with the same sanitizer, and
# inherit the *SAN_OPTIONS below: a report in that child process ends it with
# SANITIZER_EXIT_CODE, which no test expects (scavenger's own exit codes are 0-4), so the test
# fails and shows the report (the tests print the child's stderr on failure).
#
# Why ThreadSanitizer as well. The product drives all its I/O from one io_context on one thread,
# but it is not single-threaded: Asio's resolver runs getaddrinfo on a private thread and posts
# the answer back to the io_context. Measured with /proc/PID/task during `scavenger run`: one
# thread against http://127.0.0.1:PORT (an IP literal skips DNS), two against
# http://localhost:PORT — so two in production, where the endpoint is a host name. The tests add
# threads of their own: in-process servers (http_fixture, the proxy and raw servers of the http
# tests, dynamodb_proxy) serve the client under test from other threads and share state with the
# test. So TSan runs
# - the unit tests that have threads: http (including the "localhost" cases, which take the
#   resolver's thread in process), aws (credentials endpoints on http_fixture, concurrent
#   hashing) and lambda (the Runtime API on http_fixture). core and dynamodb have no threads,
#   so TSan could not find anything there: they are not built for it.
# - of the integration tests, cases with dynamodb_proxy: its threads, the hooks tests run on
#   them, and the test reading what they recorded (TSan found such an unlocked read in
#   race_test). The `scavenger` children there talk to 127.0.0.1, so they run one thread; TSan
#   checks them anyway, since they are built with it.
#
# Build settings: -Og -g1 instead of the default -O2 -g. With -fsanitize=address,undefined,
# GCC 12 needs nearly twice the CPU time for these coroutine-heavy sources at -O1 (more at -O2)
# as at -Og, mostly for UBSan's checks; -Og keeps every check, and the tests still run in about
# a minute per stage. -g1 keeps the line tables the reports need. Only the test binaries a stage
# runs, and what they depend on, are built.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

SANITIZER_EXIT_CODE=86  # not an exit code of scavenger (0-4), of a gtest binary (0, 1) or of a signal (128+N)

UNIT_TEST_TARGETS=(http_unit_tests aws_unit_tests dynamodb_unit_tests core_unit_tests lambda_unit_tests)
# deploy_*: they package the binary and lint the SAM template; no sanitized code runs in them.
UNIT_TEST_EXCLUDE='^deploy_'

# The integration slice: one pattern per case, each must match at least one test (a renamed test
# fails the stage instead of silently leaving the slice).
ASAN_SLICE=(
  'exactness\.conditional_with_ten_readers_and_ten_deleters/'                 # both emulators
  'exactness\.batch_with_ten_readers_and_ten_deleters/'                       # both emulators
  'faults_test\.all_faults_together/dynalite'                                 # every fault kind, both modes
  'resume\.a_timeout_exits_3_promptly_with_cursors_and_resumes_exact/dynalite'
  'operations\.put_get_scan_and_delete_items/dynamodb_local'                  # the DynamoDB client in process
  'operations\.conditional_delete_fails_when_the_item_changed/dynalite'
  '^tls\.'                                                                     # the DynamoDB client over TLS
  'tls_verification\.an_untrusted_certificate_is_refused_unless_its_ca_is_given/'  # the binary over TLS
)
ASAN_TARGETS=("${UNIT_TEST_TARGETS[@]}" scavenger dynamodb_integration_tests scavenger_integration_tests)
# Under TSan: the unit tests that have threads, and the fault-injection cases (see above).
TSAN_UNIT_TEST_TARGETS=(http_unit_tests aws_unit_tests lambda_unit_tests)
TSAN_SLICE=(
  'faults_test\.all_faults_together/dynalite'
  'faults_test\.reset_after_the_request_reached_the_server/dynamodb_local'
  'race_test\.items_changed_between_scan_and_delete_are_skipped_changed_and_kept/dynalite'  # a hook on the proxy's threads
)
TSAN_TARGETS=("${TSAN_UNIT_TEST_TARGETS[@]}" scavenger scavenger_integration_tests)

export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:exitcode=$SANITIZER_EXIT_CODE:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1"
export LSAN_OPTIONS="exitcode=$SANITIZER_EXIT_CODE"
# UBSan reads its exit code from its own options, not from ASAN_OPTIONS.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=$SANITIZER_EXIT_CODE"
export TSAN_OPTIONS="halt_on_error=1:exitcode=$SANITIZER_EXIT_CODE:second_deadlock_stack=1"

stages=("$@")
((${#stages[@]})) || stages=(asan tsan)
for stage in "${stages[@]}"; do
  [[ $stage == asan || $stage == tsan ]] || die "unknown stage '$stage' (asan, tsan)"
done

emulator_states=()
stop_emulators() {
  local state
  for state in "${emulator_states[@]}"; do "$SCAVENGER_SCRIPTS/test-emulators.sh" stop "$state" || true; done
}
trap stop_emulators EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

failures=()
timings=()

# timed NAME CMD...: runs CMD, records its duration, and records NAME as failed if it fails.
timed() {
  local name=$1 start=$SECONDS rc=0
  shift
  say "== $name"
  "$@" || rc=$?
  timings+=("$(printf '%-28s %5d s%s' "$name" $((SECONDS - start)) "$( ((rc == 0)) || echo "  FAILED (exit $rc)")")")
  ((rc == 0)) || failures+=("$name")
  return "$rc"
}

configure_and_build() {
  local dir=$1 sanitizer=$2
  shift 2
  local generator=()
  [[ -f $dir/CMakeCache.txt ]] || generator=(-G Ninja)  # as build.sh: an existing tree keeps its own
  cmake -S "$SCAVENGER_ROOT" -B "$dir" "${generator[@]}" -DSCAVENGER_SANITIZE="$sanitizer" \
    -DSCAVENGER_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-Og -g1 -DNDEBUG" &&
    cmake --build "$dir" -j "$(nproc)" --target "$@"
}

# slice_regex DIR PATTERN...: the patterns joined into one ctest regex; fails if one matches no test.
slice_regex() {
  local dir=$1 pattern count regex=''
  shift
  for pattern in "$@"; do
    count=$(ctest --test-dir "$dir" -N -R "$pattern" | sed -n 's/^Total Tests: //p')
    [[ ${count:-0} -gt 0 ]] || { say "error: no test matches the slice pattern '$pattern'"; return 1; }
    regex+="${regex:+|}$pattern"
  done
  printf '%s\n' "$regex"
}

run_slice() {
  local dir=$1 regex
  shift
  regex=$(slice_regex "$dir" "$@") || return 1
  ctest --test-dir "$dir" --output-on-failure --no-tests=error -j 2 -R "$regex"
}

run_stage() {
  local stage=$1 sanitizer dir targets slice
  case $stage in
    asan) sanitizer=address; targets=("${ASAN_TARGETS[@]}"); slice=("${ASAN_SLICE[@]}") ;;
    tsan) sanitizer=thread; targets=("${TSAN_TARGETS[@]}"); slice=("${TSAN_SLICE[@]}") ;;
  esac
  # -L unit runs the unit tests of the binaries built (an unbuilt one's placeholder has no label).
  dir=$SCAVENGER_ROOT/build-$stage
  emulator_states+=("$dir/test-emulators")
  timed "$stage: build" configure_and_build "$dir" "$sanitizer" "${targets[@]}" || return 0
  timed "$stage: unit tests" ctest --test-dir "$dir" --output-on-failure --no-tests=error -j 2 -L unit -E "$UNIT_TEST_EXCLUDE" || true
  timed "$stage: integration slice" run_slice "$dir" "${slice[@]}" || true
}

for stage in "${stages[@]}"; do run_stage "$stage"; done

say "timings:"
printf '  %s\n' "${timings[@]}" >&2
if ((${#failures[@]})); then
  say "FAILED: ${failures[*]}"
  exit 1
fi
say "all sanitizer stages passed"
