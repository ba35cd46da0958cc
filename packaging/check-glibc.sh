#!/usr/bin/env bash
# Checks a Lambda zip made by packaging/package-lambda.sh: that it is self-contained and starts
# with its own loader and libraries.
#
#   packaging/check-glibc.sh ZIP
#
# 1. Unpacks ZIP into an empty temporary folder and checks the layout (bootstrap, bin/bootstrap,
#    lib/ld-linux-x86-64.so.2, lib/libc.so.6).
# 2. Lists the GLIBC_x.y symbol versions bin/bootstrap needs (`objdump -T`) and the ones the
#    bundled lib/libc.so.6 defines (`objdump -p`, "Version definitions"), and fails if one is
#    missing. It then checks every ELF file in the zip the same way against its own version
#    references ("required from libm.so.6: GLIBC_2.29", "from libstdc++.so.6: GLIBCXX_3.4.29",
#    …): each must be defined by the bundled library of that name. So the host's glibc
#    (2.34 on Amazon Linux 2023) never matters; the newest version needed is shown against it.
# 3. Runs ./bootstrap with an empty environment plus LAMBDA_TASK_ROOT only. The Lambda runtime
#    must start and, with no AWS_LAMBDA_RUNTIME_API, exit non-zero with an error naming that
#    variable. A zip of the CLI (packaged with --binary app/scavenger while there is no runtime)
#    gets `./bootstrap version` instead, which must exit 0. Then, with LD_DEBUG=libs, it checks
#    that every library the loader mapped came from the zip's lib/.
#
# Exit status 0 when all hold, 1 otherwise (messages on stderr); usable as a ctest test.
set -euo pipefail

SCRIPT_NAME=$(basename "$0")
say() { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() { say "FAIL: $*"; exit 1; }

(($# == 1)) || { say "usage: $SCRIPT_NAME ZIP"; exit 2; }
zip_file=$1
[[ -f $zip_file ]] || die "no zip at $zip_file"
for tool in unzip objdump env timeout; do
  command -v "$tool" >/dev/null || die "$tool is required"
done

AL2023_GLIBC=2.34   # Amazon Linux 2023, the provided.al2023 runtime
RUN_TIMEOUT_S=20    # the runtime fails at once without AWS_LAMBDA_RUNTIME_API; never hang a test

root=$(mktemp -d "${TMPDIR:-/tmp}/scavenger-check.XXXXXX")
trap 'rm -rf "$root"' EXIT
unzip -q "$zip_file" -d "$root"

# --- 1. layout -------------------------------------------------------------------------------
for f in bootstrap bin/bootstrap lib/ld-linux-x86-64.so.2 lib/libc.so.6; do
  [[ -f $root/$f ]] || die "$f is missing from the zip"
done
for f in bootstrap bin/bootstrap lib/ld-linux-x86-64.so.2; do
  [[ -x $root/$f ]] || die "$f is not executable"
done

# --- 2. symbol versions ----------------------------------------------------------------------
# Version names an ELF file defines ("Version definitions:" of objdump -p; the first is its soname).
defined_versions() {
  objdump -p "$1" | awk '/^Version definitions:/ { on = 1; next }
                         /^Version References:/ || /^$/ { on = 0 }
                         on && NF == 4 { print $4 }'
}
# "FILE VERSION" per version an ELF file requires ("Version References:" of objdump -p).
required_versions() {
  objdump -p "$1" | awk '/^Version References:/ { on = 1; next }
                         on && /required from/ { lib = $3; sub(/:$/, "", lib); next }
                         on && NF == 4 { print lib, $4 }
                         on && /^$/ { on = 0 }'
}
newest() { sort -uV | tail -n 1; }
# Pipes into `grep -q` are avoided below: with pipefail, grep quitting early can SIGPIPE the writer.

needed=$(objdump -T "$root/bin/bootstrap" | grep -o 'GLIBC_[0-9][0-9.]*' | sort -uV || true)
[[ -n $needed ]] || die "bin/bootstrap needs no GLIBC_ symbol versions: not a dynamically linked glibc program?"
provided=$(defined_versions "$root/lib/libc.so.6" | grep '^GLIBC_[0-9]' | sort -uV)
say "bin/bootstrap needs: $(tr '\n' ' ' <<<"$needed")"
say "lib/libc.so.6 defines: $(head -n 1 <<<"$provided") … $(tail -n 1 <<<"$provided") ($(wc -l <<<"$provided") versions)"

# objdump -T names the version, not the library that defines it: a GLIBC_ version not in libc
# must be defined by another bundled glibc library (libm, the loader) the binary requires it from.
missing=""
for v in $needed; do
  grep -qxF "$v" <<<"$provided" && continue
  elsewhere=false
  for lib in "$root"/lib/*; do
    grep -qxF "$v" <<<"$(defined_versions "$lib")" && { elsewhere=true; break; }
  done
  $elsewhere || missing+=" $v"
done
[[ -z $missing ]] || die "bin/bootstrap needs GLIBC versions no bundled library defines:$missing"

newest_needed=$(newest <<<"$needed")
newest_provided=$(newest <<<"$provided")
if [[ $(printf '%s\n' "GLIBC_$AL2023_GLIBC" "$newest_needed" | newest) != "GLIBC_$AL2023_GLIBC" ]]; then
  say "newest needed $newest_needed is newer than Amazon Linux 2023's glibc $AL2023_GLIBC: the bundled libc ($newest_provided) is what makes it run"
else
  say "newest needed $newest_needed (Amazon Linux 2023 has $AL2023_GLIBC; the bundled libc has $newest_provided)"
fi

# Every ELF file in the zip, against the bundled library each reference names.
checked=0
while IFS= read -r -d '' elf; do
  while read -r lib version; do
    [[ -n $lib ]] || continue
    [[ -f $root/lib/$lib ]] || die "${elf#"$root"/} requires $version from $lib, which is not in lib/"
    grep -qxF "$version" <<<"$(defined_versions "$root/lib/$lib")" ||
      die "${elf#"$root"/} requires $version from $lib; the bundled lib/$lib does not define it"
    checked=$((checked + 1))
  done < <(required_versions "$elf")
done < <(find "$root/bin" "$root/lib" -type f -print0)
say "all $checked version references of bin/ and lib/ are met by the bundled libraries"

# --- 3. start it with the bundled loader -----------------------------------------------------
cd "$root"
status=0
output=$(timeout "$RUN_TIMEOUT_S" env -i LAMBDA_TASK_ROOT="$root" ./bootstrap 2>&1) || status=$?
((status != 124)) || die "./bootstrap did not exit within ${RUN_TIMEOUT_S}s with no AWS_LAMBDA_RUNTIME_API"
if grep -qi 'error while loading shared libraries\|version .GLIBC\|no such file' <<<"$output" ||
   ((status == 126 || status == 127)); then
  die "./bootstrap did not start (exit $status): $output"
fi
args=()
if grep -q 'AWS_LAMBDA_RUNTIME_API' <<<"$output"; then
  ((status != 0)) || die "./bootstrap exited 0 with no AWS_LAMBDA_RUNTIME_API: $output"
  say "runtime started under env -i and refused to run without AWS_LAMBDA_RUNTIME_API (exit $status): $(head -n 3 <<<"$output")"
else
  # Not the runtime: the CLI packaged as a stand-in. `version` must work.
  args=(version)
  status=0
  output=$(timeout "$RUN_TIMEOUT_S" env -i LAMBDA_TASK_ROOT="$root" ./bootstrap version 2>&1) || status=$?
  ((status == 0)) || die "./bootstrap neither reported a missing AWS_LAMBDA_RUNTIME_API nor ran 'version' (exit $status): $output"
  say "no Lambda runtime in this zip; the bundled CLI started under env -i: $output"
fi

# Which files the loader mapped: LD_DEBUG=libs prints "calling init: PATH" for each object it
# initialises, the loader included. The trace starts with /bin/sh's own (the host's) libraries,
# up to its "transferring control: /bin/sh"; only what follows is bin/bootstrap's.
trace=$(timeout "$RUN_TIMEOUT_S" env -i LAMBDA_TASK_ROOT="$root" LD_DEBUG=libs ./bootstrap "${args[@]}" 2>&1 || true)
grep -qF "initialize program: $root/bin/bootstrap" <<<"$trace" ||
  die "LD_DEBUG=libs did not show bin/bootstrap starting: $(tail -n 5 <<<"$trace")"
mapped=$(awk -v program="$root/bin/bootstrap" '
  /transferring control: / { if ($NF != program) { delete seen; n = 0 } next }
  /calling init: / { if (!($NF in seen)) { seen[$NF] = 1; order[n++] = $NF } }
  END { for (i = 0; i < n; i++) print order[i] }' <<<"$trace")
[[ -n $mapped ]] || die "LD_DEBUG=libs showed no library initialisation"
grep -qxF "$root/lib/ld-linux-x86-64.so.2" <<<"$mapped" || die "bin/bootstrap did not run under the bundled loader"
outside=$(grep -v "^$root/lib/" <<<"$mapped" || true)
[[ -z $outside ]] || die "libraries mapped from outside the zip: $(tr '\n' ' ' <<<"$outside")"
say "all $(wc -l <<<"$mapped") mapped libraries came from the zip's lib/"
say "OK: $zip_file"
