#!/usr/bin/env bash
# scripts/apt-sources.sh on apt source trees of the shapes Debian machines have
# (one-line sources.list with [options], deb822 .sources with several URIs and
# suites, a disabled stanza, a third-party source, deb-src), and the rule it
# serves: no package-mirror host is written in the repository's scripts.
set -euo pipefail
repo=$1
tool=$repo/scripts/apt-sources.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# 1. deb822, as a bookworm cloud image ships it, plus a disabled stanza and a
#    third-party source signed by a key the clean root does not have.
mkdir -p "$work/a/sources.list.d"
cat >"$work/a/sources.list.d/debian.sources" <<'SRC'
Types: deb deb-src
URIs: http://mirror.internal.example/debian http://fallback.example/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
Enabled: no
URIs: http://disabled.example/debian
Suites: bookworm
Components: main

Types: deb
URIs: http://mirror.internal.example/debian-security
Suites: bookworm-security
Components: main
SRC
cat >"$work/a/sources.list.d/vendor.sources" <<'SRC'
Types: deb
URIs: https://vendor.example/apt
Suites: nodistro
Components: main
Signed-By: /usr/share/keyrings/vendor.gpg
SRC
got=$(APT_SOURCES_DIR=$work/a "$tool" mirror)
[ "$got" = http://mirror.internal.example/debian ] || fail "deb822 mirror: $got"
mkdir -p "$work/root-a"
APT_SOURCES_DIR=$work/a "$tool" copy "$work/root-a"
grep -q '^deb http://mirror.internal.example/debian-security bookworm-security main$' \
  "$work/root-a/etc/apt/sources.list" || fail "security suite not copied"
grep -q 'disabled.example\|vendor.example' "$work/root-a/etc/apt/sources.list" &&
  fail "a disabled or third-party source reached the root"

# 2. one-line format with options, and a deb-src line first.
mkdir -p "$work/b/sources.list.d"
cat >"$work/b/sources.list" <<'SRC'
# a comment
deb-src http://src.example/debian bookworm main
deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://proxy.example:3142/debian bookworm main contrib
SRC
got=$(APT_SOURCES_DIR=$work/b "$tool" mirror)
[ "$got" = http://proxy.example:3142/debian ] || fail "one-line mirror with options: $got"

# 3. nothing usable: a clear error, not a guess.
mkdir -p "$work/c/sources.list.d"
if APT_SOURCES_DIR=$work/c "$tool" mirror 2>"$work/err"; then fail "no source gave a mirror"; fi
grep -q "set MIRROR=URI" "$work/err" || fail "no hint to set MIRROR: $(cat "$work/err")"
got=$(MIRROR=http://chosen.example/debian APT_SOURCES_DIR=$work/c "$tool" mirror)
[ "$got" = http://chosen.example/debian ] || fail "MIRROR not taken: $got"

# 4. the scripts name no mirror host.
if grep -rnE 'deb\.debian\.org|ftp\.[a-z.]*debian\.org|archive\.ubuntu\.com' "$repo/scripts" "$repo/Makefile" "$repo/.ci"; then
  fail "a package-mirror host is written in the repository"
fi
echo "ok: apt sources read from deb822 and one-line files; no mirror host in scripts"
