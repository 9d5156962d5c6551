#!/usr/bin/env bash
# The Debian package sources of this machine, for the clean roots of
# make-bookworm-root.sh and test-deb.sh: no mirror host is written in the
# repository, the roots use whatever mirror (or local proxy) the machine uses.
#   scripts/apt-sources.sh mirror    # the URI of the main Debian archive (for debootstrap)
#   scripts/apt-sources.sh copy ROOT # writes ROOT's sources.list from the machine's bookworm entries
# MIRROR=URI overrides both: debootstrap uses it, and the root gets one
# sources.list naming it for bookworm and bookworm-updates.
set -euo pipefail
apt_dir=${APT_SOURCES_DIR:-/etc/apt}

# Active "deb" entries as "URI SUITE" lines, from the one-line format and
# from deb822 .sources files (Types/URIs/Suites/Enabled stanzas).
entries() {
  local f
  for f in "$apt_dir/sources.list" "$apt_dir"/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
                       print $i, $(i + 1) }' "$f"
  done
  for f in "$apt_dir"/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk 'function flush() { if (deb && enabled) { n = split(uris, u, " "); m = split(suites, s, " ");
                              for (a = 1; a <= n; a++) for (b = 1; b <= m; b++) print u[a], s[b] }
                            deb = 0; enabled = 1; uris = ""; suites = "" }
         BEGIN { enabled = 1 }
         /^[[:space:]]*$/ { flush(); next }
         /^#/ { next }
         tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") deb = 1 }
         tolower($1) == "uris:" { $1 = ""; uris = $0 }
         tolower($1) == "suites:" { $1 = ""; suites = $0 }
         tolower($1) == "enabled:" { enabled = (tolower($2) != "no") }
         END { flush() }' "$f"
  done
}

# The main archive: the entry whose suite is bookworm itself.
main_mirror() {
  if [ -n "${MIRROR:-}" ]; then echo "$MIRROR"; return; fi
  local uri
  uri=$(entries | awk '$2 == "bookworm" { print $1; exit }')
  if [ -z "$uri" ]; then
    echo "error: no 'deb ... bookworm' entry in $apt_dir/sources.list or sources.list.d/; set MIRROR=URI" >&2
    return 1
  fi
  echo "$uri"
}

# The root gets the machine's bookworm entries only (main, updates, security),
# written as plain "deb" lines: its keyring is debootstrap's Debian archive
# keyring, so third-party sources of the machine would only break apt there.
copy_into() {
  local root=$1
  mkdir -p "$root/etc/apt/sources.list.d"
  rm -f "$root/etc/apt/sources.list.d/"*
  if [ -n "${MIRROR:-}" ]; then
    printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$MIRROR" "$MIRROR" \
      >"$root/etc/apt/sources.list"
    return
  fi
  main_mirror >/dev/null  # fails with its message when the machine has no bookworm source
  entries | awk '$2 ~ /^bookworm(-updates|-security)?$/ && !seen[$0]++ { print "deb", $1, $2, "main" }' \
    >"$root/etc/apt/sources.list"
}

case "${1:-}" in
  mirror) main_mirror ;;
  copy) [ -n "${2:-}" ] || { echo "usage: $0 copy ROOT" >&2; exit 2; }; copy_into "$2" ;;
  entries) entries ;;
  *) echo "usage: $0 mirror | copy ROOT | entries" >&2; exit 2 ;;
esac
