#!/usr/bin/env bash
# The portable binary (-DMIGSLEUTH_PORTABLE=ON) runs in a minimal Debian
# bookworm root that has nothing but debootstrap's minbase: it is copied in
# alone with one sample bundle and run with chroot. As root; needs the Debian
# mirror once (debootstrap, simdjson source). Usage:
#   scripts/test-portable.sh            # builds build-portable/ (make portable) first
#   BINARY=path/to/migsleuth scripts/test-portable.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/chroot-lib.sh
sample=samples/network-port-refused/bundle
if [ -z "${BINARY:-}" ]; then
  make portable
  BINARY=build-portable/migsleuth
fi
echo "== ldd $BINARY"
ldd "$BINARY" | tee /tmp/migsleuth-portable-ldd.$$
extra=$(grep -vE 'linux-vdso|libc\.so\.6|libm\.so\.6|ld-linux-x86-64' /tmp/migsleuth-portable-ldd.$$ || true)
rm -f /tmp/migsleuth-portable-ldd.$$
if [ -n "$extra" ]; then echo "FAIL: shared libraries besides glibc:"; echo "$extra"; exit 1; fi
echo "ok: only glibc is shared"

new_root
cp "$BINARY" "$ROOT/migsleuth"
cp -r "$sample" "$ROOT/sample"
no_build_tools
echo "== chroot ROOT /migsleuth --version"
in_root /migsleuth --version
echo "== chroot ROOT /migsleuth analyze /sample"
in_root /migsleuth analyze --color never /sample | tee "$ROOT/report.txt" | head -20
grep -q "network" "$ROOT/report.txt" || { echo "FAIL: no network-class incident in the report"; exit 1; }
in_root /migsleuth analyze --format json -o /report.json /sample
host_json=$("$BINARY" analyze --format json "$ROOT/sample" | sed "s#$ROOT/sample#/sample#g")
if [ "$host_json" != "$(cat "$ROOT/report.json")" ]; then
  echo "FAIL: the JSON report in the root differs from the one outside"; exit 1
fi
in_root /migsleuth rules test >/dev/null
echo "ok: the portable binary ran in a clean bookworm root (same JSON report as outside)"
