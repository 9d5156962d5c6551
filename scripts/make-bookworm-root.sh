#!/usr/bin/env bash
# Prints the path of a pristine minimal Debian bookworm root (debootstrap
# --variant=minbase: no compiler, no make, no migsleuth dependencies), as a
# tarball cached in ${MIGSLEUTH_ROOT_CACHE:-/var/tmp/migsleuth-roots}.
# Needs root and the machine's Debian mirror (its apt sources, scripts/apt-sources.sh;
# MIRROR=URI to choose another);
# installs debootstrap if missing. Used by test-portable.sh and test-deb.sh.
set -euo pipefail
cache=${MIGSLEUTH_ROOT_CACHE:-/var/tmp/migsleuth-roots}
tarball=$cache/bookworm-minbase.tar
if [ -s "$tarball" ]; then echo "$tarball"; exit 0; fi
mirror=$("$(dirname "$0")/apt-sources.sh" mirror)
[ "$(id -u)" -eq 0 ] || { echo "error: needs root (debootstrap, chroot)" >&2; exit 1; }
if ! command -v debootstrap >/dev/null; then
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2
fi
mkdir -p "$cache"
work=$(mktemp -d "$cache/root.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "debootstrap --variant=minbase bookworm from $mirror (a few minutes, once)" >&2
debootstrap --variant=minbase bookworm "$work/root" "$mirror" >"$work/log" 2>&1 || {
  tail -20 "$work/log" >&2; exit 1; }
rm -rf "$work/root/var/cache/apt/archives/"*.deb "$work/root/var/lib/apt/lists/"*_Packages
tar -C "$work/root" -cf "$tarball.tmp" .
mv "$tarball.tmp" "$tarball"
echo "$tarball"
