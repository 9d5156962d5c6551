# Sourced by test-portable.sh and test-deb.sh: a fresh root from the cached
# minimal bookworm tarball (scripts/make-bookworm-root.sh), with /proc and
# /dev mounted while it is used and everything removed on exit.
new_root() {
  local tarball
  tarball=$("$(dirname "${BASH_SOURCE[0]}")/make-bookworm-root.sh")
  ROOT=$(mktemp -d "${TMPDIR:-/var/tmp}/migsleuth-root.XXXXXX")
  trap cleanup_root EXIT
  tar -C "$ROOT" -xf "$tarball"
  mount -t proc proc "$ROOT/proc" 2>/dev/null && MOUNTED+=("$ROOT/proc")
  mount --bind /dev "$ROOT/dev" 2>/dev/null && MOUNTED+=("$ROOT/dev")
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
}
MOUNTED=()
cleanup_root() {
  local m
  for m in "${MOUNTED[@]}"; do umount -l "$m" 2>/dev/null || true; done
  [ -n "${ROOT:-}" ] && [ "${KEEP_ROOT:-0}" != 1 ] && rm -rf --one-file-system "$ROOT"
  return 0
}
in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
no_build_tools() {
  local t
  for t in cc gcc g++ c++ make cmake ninja ld; do
    if in_root sh -c "command -v $t" >/dev/null 2>&1; then
      echo "FAIL: the clean root has $t"; return 1
    fi
  done
  echo "ok: no compiler, make, cmake or linker in the root"
}
