#!/usr/bin/env python3
"""`migsleuth --version` and the report agree with project(VERSION).

Usage: check_version.py BINARY VERSION SAMPLE_BUNDLE
"""
import json
import re
import subprocess
import sys

binary, version, sample = sys.argv[1:4]
out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout
lines = out.splitlines()
errors = []
if not lines or lines[0] != f"migsleuth {version}":
    errors.append(f"first line of --version is {lines[:1]}, expected 'migsleuth {version}'")
if not any(re.fullmatch(r"commit: \S+", l) for l in lines):
    errors.append("--version has no 'commit: ...' line")
if not any(re.fullmatch(r"rule packs: builtin [0-9a-f]{12} \(\d+ files\)", l) for l in lines):
    errors.append("--version has no 'rule packs: builtin <hash> (N files)' line")
run = subprocess.run([binary, "analyze", "--format", "json", sample], capture_output=True, text=True)
try:
    tool = json.loads(run.stdout)["tool"]
    if tool.get("version") != version:
        errors.append(f"report tool.version is {tool.get('version')!r}, expected {version!r}")
except (ValueError, KeyError) as e:
    errors.append(f"analyze --format json gave no report ({e}); stderr: {run.stderr[:500]}")
for e in errors:
    print("FAIL:", e)
if not errors:
    print(out.strip())
    print(f"ok: --version and report tool.version are {version}")
sys.exit(1 if errors else 0)
