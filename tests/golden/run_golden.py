#!/usr/bin/env python3
"""Golden test for one sample scenario (conventions B.7).

    run_golden.py --binary build/migsleuth --scenario samples/<scenario>

1. runs `migsleuth analyze --format json <scenario>/bundle` (absolute path, cwd = samples root),
2. normalizes the output (normalize.py) and compares it with <scenario>/expected.json,
   printing a unified diff between rulers on mismatch; the same for the markdown and
   text reports against expected.md and expected.txt,
3. runs the analysis a second time and requires byte-identical output (determinism),
4. for every incident with outcome "failed", checks that each evidence item's path:line
   really holds `text` (1-based line, exact comparison),
5. for scenarios whose name starts with "success", requires that no incident failed.

Exit status: 0 all checks passed, 1 a check failed, 2 usage error. Python 3 stdlib only.
"""
import argparse
import bz2
import difflib
import gzip
import json
import lzma
import os
import sys
import tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from normalize import (HUMAN_FORMATS, OK_EXIT_CODES, normalize, normalize_human,  # noqa: E402
                       run_analyze, stdin_file)

RULER = "-" * 78


def eqnice(title, expected, got, expected_name, got_name):
    """ripgrep-style eqnice!: say what differs, then the diff between rulers."""
    diff = difflib.unified_diff(expected.splitlines(keepends=True), got.splitlines(keepends=True),
                                fromfile=expected_name, tofile=got_name)
    body = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in diff)
    print(f"\n{title}\n\ndiff (- expected, + got):\n{RULER}\n{body}{RULER}\n")


def open_text(path):
    """Open a file for reading text, decompressing by file name."""
    opener = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}.get(os.path.splitext(path)[1])
    if opener:
        return opener(path, "rt", encoding="utf-8", errors="surrogateescape", newline="")
    return open(path, "r", encoding="utf-8", errors="surrogateescape", newline="")


def read_line(path, lineno, cwd):
    """Return (text of 1-based line lineno, None) or (None, reason)."""
    if not os.path.isabs(path):
        path = os.path.join(cwd, path)
    try:
        if not os.path.exists(path) and "!" in path:
            archive, member = path.split("!", 1)
            with tarfile.open(archive) as tar:
                data = tar.extractfile(member).read()
            ext = os.path.splitext(member)[1]
            data = {".gz": gzip.decompress, ".bz2": bz2.decompress,
                    ".xz": lzma.decompress}.get(ext, lambda d: d)(data)
            lines = data.decode("utf-8", "surrogateescape").split("\n")
            line = lines[lineno - 1] if 0 < lineno <= len(lines) else None
        else:
            if path.endswith(".zst"):
                return None, "skipped: .zst cannot be read with the Python stdlib"
            line = None
            with open_text(path) as f:
                for n, raw in enumerate(f, 1):
                    if n == lineno:
                        line = raw
                        break
        if line is None:
            return None, f"file has fewer than {lineno} lines"
        return line.rstrip("\n").rstrip("\r"), None
    except (OSError, KeyError, tarfile.TarError, EOFError, lzma.LZMAError) as e:
        return None, f"cannot read: {e}"


def check_evidence(report, cwd, piped=None):
    """`piped`: the file a stdin scenario piped, which evidence cites as path '-'."""
    problems = []
    for inc in report.get("incidents", []):
        if inc.get("outcome") != "failed":
            continue
        if not inc.get("evidence"):
            problems.append(f"incident {inc.get('id')}: outcome failed but no evidence")
        for i, ev in enumerate(inc.get("evidence", [])):
            where = f"incident {inc.get('id')} evidence[{i}] {ev.get('path')}:{ev.get('line')}"
            path = piped if ev["path"] == "-" and piped else ev["path"]
            line, why = read_line(path, ev["line"], cwd)
            if why and why.startswith("skipped"):
                print(f"note: {where}: {why}")
                continue
            if why:
                problems.append(f"{where}: {why}")
            elif line != ev["text"]:
                problems.append(f"{where}: text differs\n    file:     {line!r}\n    evidence: {ev['text']!r}")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", required=True, help="path to the migsleuth executable")
    ap.add_argument("--scenario", required=True, help="samples/<scenario> directory")
    ap.add_argument("--samples-root", help="root replaced by {samples} (default: the scenario's parent)")
    args = ap.parse_args()

    scenario = os.path.abspath(args.scenario)
    name = os.path.basename(scenario.rstrip("/"))
    samples_root = os.path.abspath(args.samples_root or os.path.dirname(scenario))
    bundle = os.path.join(scenario, "bundle")
    binary = os.path.abspath(args.binary)
    if not os.path.isdir(bundle):
        print(f"error: {bundle} is not a directory", file=sys.stderr)
        return 2
    if not os.access(binary, os.X_OK):
        print(f"error: {binary} is not an executable", file=sys.stderr)
        return 2

    failures = []
    code, out1, err1 = run_analyze(binary, bundle, samples_root)
    if code not in OK_EXIT_CODES:
        print(f"FAIL [{name}]: migsleuth exited with {code}\nstderr:\n{RULER}\n{err1}{RULER}")
        return 1
    try:
        report = json.loads(out1)
    except ValueError as e:
        print(f"FAIL [{name}]: output is not JSON: {e}\nstdout:\n{RULER}\n{out1[:4000]}\n{RULER}")
        return 1

    # 1. golden comparison
    got = normalize(out1, samples_root)
    expected_path = os.path.join(scenario, "expected.json")
    if not os.path.exists(expected_path):
        failures.append(f"{expected_path} is missing; generate it with tests/update_expected.sh and review it")
    else:
        with open(expected_path, encoding="utf-8") as f:
            expected = f.read()
        if expected != got:
            eqnice(f"golden output differs for scenario {name}", expected, got,
                   f"samples/{name}/expected.json", f"migsleuth analyze --format json samples/{name}/bundle")
            failures.append("golden output differs (diff above); if the change is intended, "
                            "run tests/update_expected.sh and review the diff")

    # 1b. the human formats (markdown for tickets, text for terminals)
    version = report.get("tool", {}).get("version")
    for golden, args in HUMAN_FORMATS.items():
        hcode, hout, herr = run_analyze(binary, bundle, samples_root, args)
        if hcode != code:
            failures.append(f"{' '.join(args)} exited with {hcode} (json: {code}): {herr.strip()}")
            continue
        got_h = normalize_human(hout, samples_root, version)
        path = os.path.join(scenario, golden)
        if not os.path.exists(path):
            failures.append(f"{path} is missing; generate it with tests/update_expected.sh and review it")
            continue
        with open(path, encoding="utf-8") as f:
            want = f.read()
        if want != got_h:
            eqnice(f"{golden} differs for scenario {name}", want, got_h, f"samples/{name}/{golden}",
                   f"migsleuth analyze {' '.join(args)} samples/{name}/bundle")
            failures.append(f"{golden} differs (diff above); if the change is intended, "
                            "run tests/update_expected.sh and review the diff")
        hcode2, hout2, _ = run_analyze(binary, bundle, samples_root, args)
        if hout2 != hout:
            failures.append(f"{' '.join(args)} output is not deterministic")

    # 2. determinism
    code2, out2, _ = run_analyze(binary, bundle, samples_root)
    if code2 != code or out2 != out1:
        eqnice(f"second run of scenario {name} is not byte-identical (exit {code} vs {code2})",
               out1, out2, "first run", "second run")
        failures.append("output is not deterministic")

    # 3. evidence lines exist
    failures += check_evidence(report, samples_root, stdin_file(bundle))

    # 4. success scenarios
    if name.startswith("success"):
        bad = [i.get("id") for i in report.get("incidents", []) if i.get("outcome") == "failed"]
        if bad:
            failures.append(f"scenario {name} must not yield a failed incident, got: {', '.join(map(str, bad))}")

    if failures:
        print(f"FAIL [{name}]:")
        for f in failures:
            print(f"  - {f}")
        return 1
    print(f"ok [{name}]: golden, determinism, evidence checks passed "
          f"({len(report.get('incidents', []))} incident(s))")
    return 0


if __name__ == "__main__":
    sys.exit(main())
