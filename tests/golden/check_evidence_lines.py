#!/usr/bin/env python3
"""Every evidence line a report prints is the source line itself (issue 19).

    check_evidence_lines.py --binary build/migsleuth --samples samples

A line pasted from a ticket must still be found with grep in the host's log, so:
  1. for every samples/<scenario>/bundle, `analyze --format json`: every evidence item of
     every incident (whatever its outcome) and of every finding has `text` equal to line
     `line` of `path`;
  2. the same bundle with `--format markdown`: each evidence entry ("`host` `path:line` at
     ...") is followed by a fenced block holding exactly that source line, whole, and the
     markdown shows as many evidence entries as the JSON;
  3. a copy of samples/unknown-libvirt-eof with a `openstack server migration list -f json`
     capture whose migration is in status "error": the record is cited by its "Status"
     line (not the "Id" line), the JSON evidence carries field {key_path "[1].Status",
     value "error", record "migration 4412"}, and the markdown says
     "`Status: error` of migration 4412" above the whole line.

Exit status: 0 passed, 1 failed. Python 3 stdlib only.
"""
import argparse
import glob
import json
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from normalize import OK_EXIT_CODES, run_analyze, stdin_file  # noqa: E402
from run_golden import read_line  # noqa: E402

# "`host` `path:line` at TIME" (host may be "(host not identified)"); the code span of
# path:line uses as many backticks as it needs.
HEADER = re.compile(r"^(?:`[^`]+`|\(host not identified\)) (`+) ?(.+?):(\d+) ?\1 at \S+$")
FENCE = re.compile(r"^(`{3,})(\w*)$")


def evidence_items(report):
    for inc in report.get("incidents", []):
        for ev in inc.get("evidence", []):
            yield inc.get("id"), ev
    for f in report.get("findings", []):
        for ev in f.get("evidence", []):
            yield f.get("id"), ev


def markdown_evidence(md):
    """[(path, line, fenced text)] for each evidence entry of a markdown report."""
    out, lines, i = [], md.split("\n"), 0
    while i < len(lines):
        m = HEADER.match(lines[i])
        i += 1
        if not m:
            continue
        # An optional "`Status: error` of migration N" line, then the fence.
        j = i
        while j < len(lines) and not FENCE.match(lines[j]) and j < i + 4:
            j += 1
        fence = FENCE.match(lines[j]) if j < len(lines) else None
        if not fence or j + 2 >= len(lines) or lines[j + 2] != fence.group(1):
            out.append((m.group(2), int(m.group(3)), None))
            continue
        out.append((m.group(2), int(m.group(3)), lines[j + 1]))
        i = j + 3
    return out


def check_sample(binary, bundle, root):
    # A scenario that pipes a file to `analyze -` cites it as path '-'.
    piped = stdin_file(bundle)

    def source_line(path, lineno):
        return read_line(piped if path == "-" and piped else path, lineno, root)

    problems = []
    code, out, err = run_analyze(binary, bundle, root)
    if code not in OK_EXIT_CODES:
        return [f"analyze exited {code}: {err.strip()}"]
    report = json.loads(out)
    items = list(evidence_items(report))
    for owner, ev in items:
        line, why = source_line(ev["path"], ev["line"])
        if why and why.startswith("skipped"):
            continue
        if why or line != ev["text"]:
            problems.append(f"json {owner} {ev['path']}:{ev['line']}: {why or 'text differs'}\n"
                            f"    file:     {line!r}\n    evidence: {ev['text']!r}")
    code, md, err = run_analyze(binary, bundle, root, ("--format", "markdown"))
    if code not in OK_EXIT_CODES:
        return problems + [f"analyze --format markdown exited {code}: {err.strip()}"]
    shown = markdown_evidence(md)
    if len(shown) != len(items):
        problems.append(f"markdown shows {len(shown)} evidence entries, the JSON {len(items)}")
    for path, lineno, text in shown:
        if text is None:
            problems.append(f"markdown {path}:{lineno}: no one-line fenced block follows")
            continue
        line, why = source_line(path, lineno)
        if why and why.startswith("skipped"):
            continue
        if why or line != text:
            problems.append(f"markdown {path}:{lineno}: {why or 'line differs'}\n"
                            f"    file:     {line!r}\n    markdown: {text!r}")
    return problems


MIGRATIONS = [
    {"Id": 4411, "UUID": "0c2e4a6b-8d9f-4e1a-b3c5-7d9f1b3d5e61", "Source Compute": "compute-a1",
     "Dest Compute": "compute-b4", "Status": "completed",
     "Server UUID": "11111111-2222-4333-8444-555555555555", "Type": "live-migration",
     "Created At": "2023-12-05T18:02:10.000000", "Updated At": "2023-12-05T18:02:40.000000"},
    {"Id": 4412, "UUID": "0c2e4a6b-8d9f-4e1a-b3c5-7d9f1b3d5e60", "Source Compute": "compute-a1",
     "Dest Compute": "compute-b4", "Status": "error",
     "Server UUID": "a6336d8f-65be-4d74-a9fa-98df34b9f2c6", "Type": "live-migration",
     "Created At": "2023-12-05T19:26:12.000000", "Updated At": "2023-12-05T19:26:34.000000"},
]


def check_record_field(binary, samples):
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        bundle = os.path.join(tmp, "bundle")
        shutil.copytree(os.path.join(samples, "unknown-libvirt-eof", "bundle"), bundle)
        os.makedirs(os.path.join(bundle, "controller"))
        capture = os.path.join(bundle, "controller", "migration-list.json")
        with open(capture, "w", encoding="utf-8") as f:
            json.dump(MIGRATIONS, f, indent=2)
            f.write("\n")
        with open(capture, encoding="utf-8") as f:
            status_line = next(n for n, l in enumerate(f, 1) if '"error"' in l)
        code, out, err = run_analyze(binary, bundle, tmp)
        if code not in OK_EXIT_CODES:
            return [f"record field: analyze exited {code}: {err.strip()}"]
        cited = [ev for _, ev in evidence_items(json.loads(out))
                 if ev["path"].endswith("migration-list.json")]
        if len(cited) != 1:
            return [f"record field: expected the migration record cited once, got {cited}"]
        ev = cited[0]
        if ev["line"] != status_line or ev["text"] != '    "Status": "error",':
            problems.append(f"record field: cited {ev['line']} {ev['text']!r}, "
                            f"want line {status_line}, the Status line")
        want = {"key_path": "[1].Status", "value": "error", "record": "migration 4412"}
        if ev.get("field") != want:
            problems.append(f"record field: field is {ev.get('field')!r}, want {want!r}")
        code, md, err = run_analyze(binary, bundle, tmp, ("--format", "markdown"))
        if "`Status: error` of migration 4412 (key path `[1].Status`)" not in md:
            problems.append("record field: markdown lacks "
                            "'`Status: error` of migration 4412 (key path `[1].Status`)'")
        if '\n    "Status": "error",\n' not in md:
            problems.append("record field: markdown lacks the whole Status line in a block")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--samples", required=True)
    args = ap.parse_args()
    binary, samples = os.path.abspath(args.binary), os.path.abspath(args.samples)
    failures, checked = [], 0
    for bundle in sorted(glob.glob(os.path.join(samples, "*", "bundle"))):
        name = os.path.basename(os.path.dirname(bundle))
        for p in check_sample(binary, bundle, samples):
            failures.append(f"{name}: {p}")
        checked += 1
    failures += check_record_field(binary, samples)
    for f in failures:
        print(f"FAIL {f}")
    if failures:
        return 1
    print(f"ok: every evidence line of {checked} sample(s), JSON and markdown, is its source "
          f"line; a migration record is cited by its Status field")
    return 0


if __name__ == "__main__":
    sys.exit(main())
