#!/usr/bin/env python3
"""The scan's uncategorised bucket groups by the telling line (issue 19).

    unknown_templates.py MIGSLEUTH SOURCE_DIR WORK_DIR

Builds six bundles from samples/unknown-libvirt-eof, two for each of three failure
messages that no cause rule knows. In every bundle the attempt ends with nova's same
generic "Migration operation has aborted" line after the failure line. Then `scan`:
  - every incident is classified `unknown`;
  - its JSONL `error_template` is mined from the line its summary quotes (the failure
    line, masked), never from the generic abort line;
  - the summary's uncategorised section shows three groups of 2, one per failure
    message (hosts, request ids and uuids masked), and not one group of 6 headed by
    "Migration operation has aborted".
Python 3 stdlib only.
"""
import json
import os
import shutil
import subprocess
import sys

BIN, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
SAMPLE = os.path.join(SRC, "samples", "unknown-libvirt-eof", "bundle")
LOG = os.path.join("compute-a1", "var", "log", "nova", "nova-compute.log")
FAILURE_LINE = 23  # "Live Migration failure: End of file while reading data ..."
ABORT = "Migration operation has aborted"

# Three failures no rule classifies; the second copy of each uses other ids, so
# only masking can make the two copies one template.
CAUSES = [
    "operation failed: migration job: unexpectedly failed on {n} devices",
    "internal error: guest agent reported state {n} for filesystem freeze",
    "Timed out during operation: cannot acquire state change lock (held by monitor={n})",
]


def make_bundle(dest, cause, n):
    shutil.copytree(SAMPLE, dest)
    path = os.path.join(dest, LOG)
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    head, sep, _ = lines[FAILURE_LINE - 1].partition("Live Migration failure: ")
    assert sep, "the sample's failure line moved"
    message = cause.format(n=n)
    lines[FAILURE_LINE - 1] = f"{head}{sep}{message}: libvirt.libvirtError: {message}"
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def main():
    root = os.path.join(WORK, "unknown-templates")
    shutil.rmtree(root, ignore_errors=True)
    bundles = os.path.join(root, "bundles")
    os.makedirs(bundles)
    for i, cause in enumerate(CAUSES):
        for copy in range(2):
            make_bundle(os.path.join(bundles, f"cause{i}-copy{copy}"), cause, 3 + 4 * copy + i)
    jsonl = os.path.join(root, "incidents.jsonl")
    proc = subprocess.run([BIN, "scan", "-j", "2", "--jsonl", jsonl, bundles],
                          capture_output=True, text=True)
    fails = []
    if proc.returncode != 0:
        fails.append(f"scan exited {proc.returncode}: {proc.stderr[-2000:]}")
    records = []
    if os.path.exists(jsonl):
        with open(jsonl, encoding="utf-8") as f:
            records = [json.loads(l) for l in f if l.strip()]
    if len(records) != 6:
        fails.append(f"expected 6 incidents, got {len(records)}")
    templates = set()
    for r in records:
        where = r.get("bundle", "?")
        if r.get("classification") != "unknown":
            fails.append(f"{where}: classified {r.get('classification')}, the test needs unknown")
            continue
        tpl = r.get("error_template") or ""
        templates.add(tpl)
        if ABORT in tpl:
            fails.append(f"{where}: template from the generic abort line: {tpl!r}")
        quoted = r.get("summary", "").split(" is: ", 1)[-1]
        if "Live Migration failure" not in tpl or "Live Migration failure" not in quoted:
            fails.append(f"{where}: template {tpl!r} is not the quoted line {quoted[:120]!r}")
    if len(templates) != 3:
        fails.append(f"expected 3 distinct templates (one per cause), got {sorted(templates)}")
    summary = proc.stdout + proc.stderr
    section = summary.split("uncategorised", 1)[-1]
    if "3 group(s)" not in section.split("\n", 1)[0]:
        fails.append(f"the summary's uncategorised bucket is not 3 groups:\n{section[:1500]}")
    for cause in CAUSES:
        words = cause.split("{n}")[0].strip()
        if not any(words in line and line.strip().startswith("2 ") for line in section.split("\n")):
            fails.append(f"no group of 2 for {words!r}:\n{section[:1500]}")
    for f in fails:
        print("FAIL:", f)
    if not fails:
        print("ok: 6 unknown failures ending in the same abort line give 3 templates of 2, "
              "each mined from the quoted failure line")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
