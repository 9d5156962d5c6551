# Sourced by test-portable.sh and test-deb.sh: a fresh root from the cached
# minimal bookworm tarball (scripts/make-bookworm-root.sh), with /proc mounted
# while it is used and everything removed on exit. The host's /dev is never
# bind-mounted: the root has its own device nodes (debootstrap made them),
# so nothing done in the root can touch the host's /dev/null.
new_root() {
  local tarball
  tarball=$("$(dirname "${BASH_SOURCE[0]}")/make-bookworm-root.sh")
  ROOT=$(mktemp -d "${TMPDIR:-/var/tmp}/migsleuth-root.XXXXXX")
  trap cleanup_root EXIT
  tar -C "$ROOT" -xf "$tarball"
  mount -t proc proc "$ROOT/proc" 2>/dev/null && MOUNTED+=("$ROOT/proc")
  local d
  for d in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
    IFS=: read -r name major minor <<<"$d"
    if [ ! -c "$ROOT/dev/$name" ]; then
      rm -f "$ROOT/dev/$name" && mknod -m 666 "$ROOT/dev/$name" c "$major" "$minor"
    fi
  done
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf" 2>/dev/null || true
}
MOUNTED=()
cleanup_root() {
  local m
  for m in "${MOUNTED[@]}"; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
  [ -n "${ROOT:-}" ] && [ "${KEEP_ROOT:-0}" != 1 ] || return 0
  # Never remove a root that still has something mounted in it.
  if awk -v r="$ROOT/" 'index($2 "/", r) == 1 {found=1} END {exit !found}' /proc/mounts; then
    echo "warning: $ROOT still has mounts; left in place" >&2
    return 0
  fi
  rm -rf --one-file-system "$ROOT"
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
