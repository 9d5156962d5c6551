#!/usr/bin/env python3
"""Golden test of `migsleuth preflight --format json PATH` (README "Preflight").

    run_preflight_golden.py --binary build/migsleuth --scenario samples/preflight-mixed-fleet

Runs the binary twice in the scenario folder on `hosts` (relative paths keep the output
independent of the checkout), requires byte-identical runs and equality with expected.json.
"""
import argparse
import difflib
import os
import subprocess
import sys


def run(binary, scenario):
    p = subprocess.run([binary, "preflight", "--format", "json", "hosts"], cwd=scenario,
                       capture_output=True, text=True)
    if p.returncode not in (0, 3):
        print(f"preflight exited {p.returncode}: {p.stderr}")
        sys.exit(1)
    return p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--scenario", required=True)
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    first, second = run(binary, a.scenario), run(binary, a.scenario)
    if first != second:
        print("two runs differ: output is not deterministic")
        return 1
    with open(os.path.join(a.scenario, "expected.json"), encoding="utf-8") as f:
        expected = f.read()
    if first != expected:
        sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), first.splitlines(True),
                                                   "expected.json", "got"))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
