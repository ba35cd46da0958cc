#!/usr/bin/env bash
# Packages a built binary with packaging/package-lambda.sh into a temporary folder and checks
# the zip with packaging/check-glibc.sh; also that
#   - two packagings of the same binary give byte-identical zips (reproducible);
#   - the zip holds bin/bootstrap, the top-level bootstrap script and lib/ only;
#   - check-glibc.sh is not vacuous: it rejects a copy of the zip that lacks lib/libm.so.6.
#
#   test/deploy/package_test.sh [BINARY]
#
# BINARY defaults to the first of build-release/app/bootstrap, build/app/bootstrap and
# build/app/scavenger (the CLI stands in until the Lambda runtime exists: same link
# dependencies, and check-glibc.sh runs it with `version`). Nothing is configured or built.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
say() { printf 'package_test: %s\n' "$*"; }
fail() { printf 'package_test: FAIL: %s\n' "$*" >&2; exit 1; }

binary=${1:-}
if [[ -z $binary ]]; then
  for candidate in "$root/build-release/app/bootstrap" "$root/build/app/bootstrap" "$root/build/app/scavenger"; do
    if [[ -x $candidate ]]; then binary=$candidate; break; fi
  done
fi
[[ -n $binary && -x $binary ]] || fail "no binary to package (build one, or pass its path)"

work=$(mktemp -d "${TMPDIR:-/tmp}/scavenger-package-test.XXXXXX")
trap 'rm -rf "$work"' EXIT

say "packaging $binary"
"$root/packaging/package-lambda.sh" --binary "$binary" "$work" "$work/first.zip"
"$root/packaging/package-lambda.sh" --binary "$binary" "$work" "$work/second.zip" >/dev/null
cmp -s "$work/first.zip" "$work/second.zip" || fail "two packagings of the same binary differ"
say "reproducible: two packagings are byte-identical"

entries=$(unzip -Z1 "$work/first.zip")   # a variable, not a pipe: grep -q would SIGPIPE unzip
unexpected=$(grep -Ev '^(bootstrap|bin/bootstrap|lib/[^/]+)$' <<<"$entries" || true)
[[ -z $unexpected ]] || fail "unexpected entries in the zip: $unexpected"
for lib in ld-linux-x86-64.so.2 libc.so.6 libm.so.6 libstdc++.so.6 libgcc_s.so.1 libssl.so.3 libcrypto.so.3; do
  grep -qxF "lib/$lib" <<<"$entries" || fail "lib/$lib is not in the zip"
done

"$root/packaging/check-glibc.sh" "$work/first.zip"

cp "$work/first.zip" "$work/broken.zip"
zip -q -d "$work/broken.zip" lib/libm.so.6
if "$root/packaging/check-glibc.sh" "$work/broken.zip" >"$work/broken.log" 2>&1; then
  fail "check-glibc.sh accepted a zip without lib/libm.so.6"
fi
say "check-glibc.sh rejects a zip without lib/libm.so.6: $(grep FAIL "$work/broken.log" | head -n 1)"
say "OK"
