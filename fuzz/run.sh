#!/usr/bin/env bash
# Builds the fuzz targets with clang-14 in build-fuzz/ and runs each for
# FUZZ_SECONDS (default 20) on a corpus seeded from samples/ and rules/.
# FUZZ_RUNS=N instead replays the seed corpus and then runs N inputs from a
# fixed seed: what CI does, so that a CI verdict does not depend on luck.
# FUZZ_BUILD=DIR takes the targets from a tree already configured with
# MIGSLEUTH_FUZZ=ON (CI: `make asan`'s build-asan/, tests and fuzzers in one
# clang build) instead of configuring build-fuzz/.
# Crashes are written to build-fuzz/crashes/<target>/; keep each as a
# regression test under tests/ once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-20}
build=${FUZZ_BUILD:-build-fuzz}
if [ -z "${FUZZ_BUILD:-}" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMIGSLEUTH_FUZZ=ON -DMIGSLEUTH_BUILD_TESTS=OFF >/dev/null
elif ! grep -q '^MIGSLEUTH_FUZZ:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
  echo "error: FUZZ_BUILD=$build is not a tree configured with -DMIGSLEUTH_FUZZ=ON (make asan makes one)" >&2
  exit 2
fi
cmake --build "$build" -j "$(nproc)"

seed() {  # seed <target> <find expression...>
  local dir="$build/corpus/$1"; shift
  mkdir -p "$dir"
  { find samples rules "$@" -type f -size -256k -print0 2>/dev/null || true; } |
    while IFS= read -r -d '' f; do cp -f "$f" "$dir/$(echo "$f" | tr '/' '_')"; done
  true
}
status=0
for bin in "$build"/fuzz/fuzz_*; do
  name=$(basename "$bin")
  case "$name" in
    fuzz_parse_nova_compute|fuzz_ingest_file|fuzz_detect) seed "$name" -path '*nova*' ;;
    fuzz_parse_qemu_domain) seed "$name" -path '*qemu*' ;;
    fuzz_rule_loader|fuzz_readonly) seed "$name" -path 'rules/causes/*' ;;
    fuzz_catalog_loader) seed "$name" -path 'rules/catalog/*' ;;
    *) seed "$name" -name '*.json' ;;
  esac
  mkdir -p "$build/crashes/$name"
  if [ -n "${FUZZ_RUNS:-}" ]; then label="$FUZZ_RUNS runs"; else label="${seconds}s"; fi
  echo "== $name ($label)"
  if [ -n "${FUZZ_RUNS:-}" ]; then budget=(-runs="$FUZZ_RUNS" -seed=1); else budget=(-max_total_time="$seconds"); fi
  if ! "$bin" "${budget[@]}" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$build/crashes/$name/" "$build/corpus/$name" 2>"$build/$name.log"; then
    echo "FAILED: $name (see $build/$name.log and $build/crashes/$name/)"
    tail -30 "$build/$name.log"
    status=1
  else
    grep -E '^(#[0-9]+|Done)' "$build/$name.log" | tail -1 || true
  fi
done
exit $status
