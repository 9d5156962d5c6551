#!/usr/bin/env bash
# Fetches Debian's source package of the installed libsimdjson-dev (Debian ships
# no libsimdjson.a) with apt's own client, checked against the signed Sources
# index, and unpacks it into DEST (default build-portable/_deps). Prints the
# folder holding simdjson.cpp, for -DMIGSLEUTH_SIMDJSON_SOURCE.
# Uses a private apt state in DEST: the machine's apt configuration is untouched.
set -euo pipefail
dest=$(realpath -m "${1:-build-portable/_deps}")
ver=$(dpkg-query -W -f='${Version}' libsimdjson-dev 2>/dev/null) || {
  echo "error: libsimdjson-dev is not installed (scripts/install-deps.sh)" >&2; exit 1; }
upstream=${ver%-*}; upstream=${upstream#*:}
out="$dest/simdjson-$upstream/singleheader"
if [ -f "$out/simdjson.cpp" ]; then echo "$out"; exit 0; fi
command -v dpkg-source >/dev/null || { echo "error: dpkg-source missing (apt-get install dpkg-dev)" >&2; exit 1; }
apt_dir="$dest/apt"
mkdir -p "$apt_dir/lists/partial" "$dest/src"
# The deb-src twins of the machine's Debian `deb` entries (deb822 or one-line).
{
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk '/^deb[ \t]/ && /debian/ {sub(/^deb[ \t]+/, ""); print "deb-src " $0}' "$f"
    awk 'BEGIN{RS=""} /Types:[^\n]*deb/ && /URIs:[^\n]*debian/ {
           sub(/Types:[^\n]*/, "Types: deb-src"); print $0 "\n"}' "$f" > "$apt_dir/tmp.sources"
    [ -s "$apt_dir/tmp.sources" ] && cat "$apt_dir/tmp.sources" >&3
  done
} > "$apt_dir/sources.list" 3> "$apt_dir/sources.sources"
mkdir -p "$apt_dir/parts"
mv "$apt_dir/sources.sources" "$apt_dir/parts/debian.sources"
[ -s "$apt_dir/parts/debian.sources" ] || rm -f "$apt_dir/parts/debian.sources"
opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=$apt_dir/parts"
      -o "Dir::State::Lists=$apt_dir/lists" -o "APT::Sandbox::User=root")
apt-get -qq "${opts[@]}" update >&2
(cd "$dest/src" && apt-get -qq "${opts[@]}" source --download-only "simdjson=$ver" >&2)
dsc=$(ls "$dest/src"/simdjson_*.dsc | head -1)
rm -rf "$dest/simdjson-$upstream"
dpkg-source --no-check -x "$dsc" "$dest/simdjson-$upstream" >&2
[ -f "$out/simdjson.cpp" ] || { echo "error: no singleheader/simdjson.cpp in $dsc" >&2; exit 1; }
echo "$out"
