#!/bin/sh
# Regenerate samples/*/expected.json, expected.md and expected.txt from the current binary
# (normalized exactly as the golden test does: tests/golden/normalize.py). Review the diff
# like code before committing.
#
#   tests/update_expected.sh [path/to/migsleuth [scenario ...]]
#       (default binary: build/migsleuth; default scenarios: every samples/*/bundle)
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
binary=${1:-$repo/build/migsleuth}
[ $# -gt 0 ] && shift
[ -x "$binary" ] || { echo "error: $binary is not an executable (build first, or pass its path)" >&2; exit 2; }
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")

python3 - "$binary" "$repo" "$@" <<'PY'
import glob, os, sys
binary, repo, only = sys.argv[1], sys.argv[2], set(sys.argv[3:])
sys.path.insert(0, os.path.join(repo, "tests", "golden"))
import json
from normalize import HUMAN_FORMATS, OK_EXIT_CODES, normalize, normalize_human, run_analyze
samples = os.path.join(repo, "samples")
status = 0
for bundle in sorted(glob.glob(os.path.join(samples, "*", "bundle"))):
    scenario = os.path.dirname(bundle)
    if only and os.path.basename(scenario) not in only:
        continue
    code, out, err = run_analyze(binary, bundle, samples)
    if code not in OK_EXIT_CODES:
        print(f"error: {os.path.basename(scenario)}: migsleuth exited with {code}: {err.strip()}", file=sys.stderr)
        status = 1
        continue
    with open(os.path.join(scenario, "expected.json"), "w", encoding="utf-8") as f:
        f.write(normalize(out, samples))
    print(f"wrote samples/{os.path.basename(scenario)}/expected.json")
    version = json.loads(out).get("tool", {}).get("version")
    for golden, args in HUMAN_FORMATS.items():
        hcode, hout, herr = run_analyze(binary, bundle, samples, args)
        if hcode not in OK_EXIT_CODES:
            print(f"error: {os.path.basename(scenario)}: {' '.join(args)} exited with {hcode}: {herr.strip()}", file=sys.stderr)
            status = 1
            continue
        with open(os.path.join(scenario, golden), "w", encoding="utf-8") as f:
            f.write(normalize_human(hout, samples, version))
        print(f"wrote samples/{os.path.basename(scenario)}/{golden}")
sys.exit(status)
PY

cd "$repo"
git diff --stat -- samples/
git status --short -- 'samples/*/expected.json' 'samples/*/expected.md' 'samples/*/expected.txt' | grep '^??' || true
echo
echo "Review every change above (git diff samples/) like code: a golden changes only when the"
echo "report is meant to change. Commit the expected.* files together with that change."
