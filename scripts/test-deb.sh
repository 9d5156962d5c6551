#!/usr/bin/env bash
# The .deb installs with `apt install ./migsleuth_*.deb` on a minimal Debian
# bookworm root with no build tools (debootstrap minbase), apt pulling the
# runtime Depends from this machine's Debian mirror (its apt sources); then the binary, the man page and
# the completions work there. As root, with the Debian mirror. Usage:
#   scripts/test-deb.sh                 # `make package` first (build/)
#   DEB=path/to/migsleuth_X_amd64.deb scripts/test-deb.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/chroot-lib.sh
sample=samples/network-port-refused/bundle
if [ -z "${DEB:-}" ]; then
  make package
  DEB=$(ls -t build/migsleuth_*_amd64.deb | head -1)
fi
version=$(dpkg-deb -f "$DEB" Version)
echo "== $DEB: Version $version"
echo "Depends: $(dpkg-deb -f "$DEB" Depends)"
dpkg-deb -c "$DEB" | awk '{print $6}'

new_root
no_build_tools
cp "$DEB" "$ROOT/tmp/"
cp -r "$sample" "$ROOT/sample"
# A fresh machine has its security and updates suites too: the root gets this
# machine's bookworm sources (no mirror host is written here).
scripts/apt-sources.sh copy "$ROOT"
in_root apt-get update -qq
echo "== apt install ./$(basename "$DEB")"
in_root sh -c "cd /tmp && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ./$(basename "$DEB")" | tail -5
no_build_tools
echo "== migsleuth --version"
in_root migsleuth --version | tee "$ROOT/version.txt"
[ "$(head -1 "$ROOT/version.txt")" = "migsleuth $version" ] || { echo "FAIL: --version is not $version"; exit 1; }
echo "== migsleuth analyze /sample"
in_root migsleuth analyze --color never /sample | head -12
tool=$(in_root migsleuth analyze --format json /sample | python3 -c 'import json,sys; print(json.load(sys.stdin)["tool"]["version"])')
[ "$tool" = "$version" ] || { echo "FAIL: report tool.version $tool, package $version"; exit 1; }
echo "ok: package, --version and report tool.version are all $version"
for f in /usr/share/doc/migsleuth/report-v1.schema.json /usr/share/doc/migsleuth/README.md \
         /usr/share/doc/migsleuth/CHANGELOG.md /usr/share/man/man1/migsleuth.1.gz \
         /usr/share/bash-completion/completions/migsleuth /usr/share/zsh/vendor-completions/_migsleuth; do
  [ -s "$ROOT$f" ] || { echo "FAIL: $f not installed"; exit 1; }
done
echo "ok: docs, schema, man page and completions installed"
echo "== man and completions, with man-db, bash-completion and zsh from Debian"
in_root sh -c "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends man-db bash-completion zsh >/dev/null"
in_root sh -c "MANPAGER=cat MANWIDTH=80 man migsleuth" | head -8
in_root sh -c "MANPAGER=cat man migsleuth" | grep -q -- "--format" || { echo "FAIL: man migsleuth"; exit 1; }
in_root bash -ic '. /usr/share/bash-completion/bash_completion; _completion_loader migsleuth;
  COMP_WORDS=(migsleuth an); COMP_CWORD=1; _migsleuth; [ "${COMPREPLY[*]}" = analyze ] && complete -p migsleuth' </dev/null \
  || { echo "FAIL: bash completion from /usr/share/bash-completion"; exit 1; }
in_root zsh -fc 'autoload -U compinit; compinit -u -D; [[ $_comps[migsleuth] == _migsleuth ]]' \
  || { echo "FAIL: zsh does not find _migsleuth on its default fpath"; exit 1; }
echo "ok: man migsleuth, bash and zsh completions work in the root"
