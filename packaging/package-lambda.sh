#!/usr/bin/env bash
# Builds the Lambda deployment package: a zip that runs scavenger's `bootstrap` on the
# `provided.al2023` runtime (x86_64), whatever glibc the build host has.
#
#   packaging/package-lambda.sh [--binary FILE] [--target NAME] [BUILD_DIR] [OUT_ZIP]
#
#   BUILD_DIR      default build-release/ in the checkout. Configured when it has no
#                  CMakeCache.txt (Ninja, Release, no tests, no benchmarks, warnings not
#                  errors), then its target is built (default `bootstrap`; --target
#                  picks another).
#   OUT_ZIP        default BUILD_DIR/scavenger-lambda.zip (what deploy/template.yaml's CodeUri names).
#   --binary FILE  package FILE as it is; nothing is configured or built.
#
# Why bundle the C library: Amazon Linux 2023 has glibc 2.34, Debian 12 builds against 2.36,
# so a binary linked here may need symbol versions (GLIBC_2.35, …) the runtime lacks. As
# awslabs/aws-lambda-cpp's packaging/packager does, the zip carries every shared library `ldd`
# lists (libc, libm, libstdc++, libgcc_s, libssl, libcrypto, libsimdjson, …) and the dynamic
# loader itself, and the top-level `bootstrap` is a shell script that execs the *bundled*
# loader on the binary, so neither the host's loader nor its libraries are ever used:
#
#   bootstrap                       sh: exec lib/ld-linux-x86-64.so.2 --library-path lib bin/bootstrap
#   bin/bootstrap                   the stripped executable
#   lib/ld-linux-x86-64.so.2, lib/libc.so.6, …   named by soname, as the binary's DT_NEEDED asks
#
# Lambda runs `bootstrap` from LAMBDA_TASK_ROOT (/var/task); the script falls back to its own
# directory so the unpacked zip can be tried anywhere (packaging/check-glibc.sh does that).
# It also points OpenSSL at the host's CA bundle: the bundled Debian libcrypto looks for
# certificates under /usr/lib/ssl, which Amazon Linux does not have (its bundle is
# /etc/pki/tls/certs/ca-bundle.crt); an SSL_CERT_FILE/SSL_CERT_DIR already set is kept.
#
# The zip is reproducible: the same binary gives a byte-identical zip. Every file gets a fixed
# mode and the timestamp 1980-01-01T00:00:00Z (the DOS epoch, the earliest a zip can hold),
# `zip -X -D` stores no extra attributes and no directory entries, and the files are added in
# C-locale sorted order. Prints the zip's path and size on stdout.
set -euo pipefail

SCRIPT_NAME=$(basename "$0")
say() { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() { say "error: $*"; exit 1; }
usage() { sed -n '/^#   packaging/p' "$0" | sed 's/^# *//' >&2; exit "${1:-2}"; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ZIP_EPOCH=315532800   # 1980-01-01T00:00:00Z
LOADER=ld-linux-x86-64.so.2

binary=""
target=bootstrap
positional=()
while (($#)); do
  case $1 in
    --binary) binary=${2:?--binary needs a file}; shift 2 ;;
    --target) target=${2:?--target needs a name}; shift 2 ;;
    -h|--help) usage 0 ;;
    -*) say "unknown option $1"; usage ;;
    *) positional+=("$1"); shift ;;
  esac
done
((${#positional[@]} <= 2)) || usage
build_dir=${positional[0]:-$ROOT/build-release}
out_zip=${positional[1]:-$build_dir/scavenger-lambda.zip}

for tool in ldd strip zip file; do
  command -v "$tool" >/dev/null || die "$tool is required"
done
[[ $(uname -m) == x86_64 ]] || die "the package bundles this host's libraries, so it must be built on x86_64"

if [[ -z $binary ]]; then
  if [[ ! -f $build_dir/CMakeCache.txt ]]; then
    say "configuring $build_dir (Release)"
    cmake -S "$ROOT" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DSCAVENGER_BUILD_TESTS=OFF -DSCAVENGER_BUILD_BENCH=OFF >&2
  fi
  say "building target $target in $build_dir"
  cmake --build "$build_dir" --target "$target" -j "$(nproc)" >&2
  binary=$build_dir/app/$target
fi
[[ -f $binary && -x $binary ]] || die "no executable at $binary"
[[ $(file -L "$binary") == *"ELF 64-bit"*x86-64* ]] || die "$binary is not an x86-64 ELF executable"

staging=$(mktemp -d "${TMPDIR:-/tmp}/scavenger-lambda.XXXXXX")
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/bin" "$staging/lib"

# The binary, stripped: symbols and debug info only cost cold-start download time.
cp "$binary" "$staging/bin/bootstrap"
strip --strip-all "$staging/bin/bootstrap"

# Every library the loader would map, under the name the binary asks for. ldd prints
#   libssl.so.3 => /lib/x86_64-linux-gnu/libssl.so.3 (0x…)
#   /lib64/ld-linux-x86-64.so.2 (0x…)
#   linux-vdso.so.1 (0x…)            (in the kernel, no file)
ldd_output=$(ldd "$binary") || die "ldd failed on $binary"
if grep -q 'not found' <<<"$ldd_output"; then
  die "unresolved libraries: $(grep 'not found' <<<"$ldd_output" | tr -s ' \t' ' ')"
fi
while read -r name arrow path _; do
  if [[ $arrow == "=>" ]]; then
    [[ $path == /* ]] || continue            # e.g. "linux-vdso.so.1 =>  (0x…)" on old ldd
    cp -L "$path" "$staging/lib/$name"
  elif [[ $name == /* ]]; then               # the loader: listed by its absolute path
    cp -L "$name" "$staging/lib/$(basename "$name")"
  fi
done <<<"$ldd_output"
[[ -f $staging/lib/$LOADER ]] || die "ldd did not list $LOADER for $binary (is it statically linked?)"

cat >"$staging/bootstrap" <<'EOF'
#!/bin/sh
# Runs bin/bootstrap with the loader and libraries bundled next to it (see
# packaging/package-lambda.sh): the Lambda host's glibc may be older than the build's.
set -eu
case $0 in */*) here=${0%/*} ;; *) here=. ;; esac   # no external commands: PATH may be unset
root=${LAMBDA_TASK_ROOT:-$(cd "$here" && pwd)}
# The bundled libcrypto's compiled-in certificate paths do not exist on Amazon Linux.
if [ -z "${SSL_CERT_FILE:-}" ] && [ -z "${SSL_CERT_DIR:-}" ]; then
  for bundle in /etc/pki/tls/certs/ca-bundle.crt /etc/ssl/certs/ca-certificates.crt; do
    if [ -r "$bundle" ]; then
      SSL_CERT_FILE=$bundle
      export SSL_CERT_FILE
      break
    fi
  done
fi
exec "$root/lib/ld-linux-x86-64.so.2" --library-path "$root/lib" "$root/bin/bootstrap" "$@"
EOF

# Fixed modes and times, so only the content decides the zip's bytes.
chmod 0755 "$staging/bootstrap" "$staging/bin/bootstrap" "$staging/lib/$LOADER"
find "$staging/lib" -type f ! -name "$LOADER" -exec chmod 0644 {} +
find "$staging" -exec env TZ=UTC touch -h -d "@$ZIP_EPOCH" {} +

mkdir -p "$(dirname "$out_zip")"
out_zip=$(cd "$(dirname "$out_zip")" && pwd)/$(basename "$out_zip")
rm -f "$out_zip"
(cd "$staging" && find . -type f | sed 's|^\./||' | LC_ALL=C sort |
  TZ=UTC zip -q -X -D -9 "$out_zip" -@) || die "zip failed"

size=$(stat -c %s "$out_zip")
printf '%s\t%s bytes (%s MiB)\n' "$out_zip" "$size" "$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }')"
