#!/usr/bin/env bash
# Installs the Debian bookworm packages migsleuth needs to build and test,
# only those missing. Run as root (CI and `make demo` / `make test` call it).
set -euo pipefail
pkgs=(
  build-essential cmake ninja-build pkg-config git
  libre2-dev libsimdjson-dev libzstd-dev libcli11-dev libfmt-dev
  catch2 libyaml-cpp-dev libarchive-dev libsqlite3-dev libpugixml-dev
  python3 python3-jsonschema python3-yaml
  chromium
  gzip bzip2 xz-utils zstd
  clang-14 libclang-rt-14-dev
  dpkg-dev file zsh groff-base shellcheck
  libacl1-dev liblz4-dev nettle-dev
  libisal-dev
)
# `--bench` adds what bench/run.py compares against.
if [ "${1:-}" = "--bench" ]; then
  pkgs=(hyperfine ripgrep time gzip isal zstd xz-utils)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "error: missing packages and not root; run: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
