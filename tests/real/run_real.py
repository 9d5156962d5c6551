#!/usr/bin/env python3
"""Real-world regression set: run migsleuth on verbatim public excerpts (tests/real/).

    run_real.py --binary build/migsleuth [--cases tests/real] [--only SUBSTR] [--report FILE]
    run_real.py --binary build/migsleuth --lint

`--lint` checks the set itself and runs no analysis: every case folder has one excerpt and
a well-formed case.yaml, every expected cause is a rule `migsleuth rules list` knows, and
the README's table lists every case. It always passes on a tidy set, whatever the tool
finds, so it can run in the default test suite.

Each case is a folder tests/real/<NN>-<name>/ holding one excerpt file (excerpt.log, .txt or
.json) exactly as published, and case.yaml (source, seen, what, expect: classification and
optional cause, why, layout, cut). For every case the binary runs as

    migsleuth analyze --format json <excerpt file>

and, when `analyze --help` says it reads standard input ('-'), a second time with the
excerpt piped to `analyze --format json -`; both runs must meet the expectation.

A case passes when
  * expect.classification is a failure class or `unknown`: some incident or some top-level
    `findings` entry has that classification (and that cause, when expect.cause is given);
  * expect.classification is `success`: some incident succeeded, no incident failed and
    there is no finding.

A case may carry `known_gap: "why the tool cannot meet it yet"`: it is then expected to
fail (GAP, not counted as a failure) and fails the run as FIXED the day it passes, so the
mark is removed with the fix (a strict expected failure). The README lists every gap.

Prints one line per case (PASS/FAIL/GAP/FIXED, what was expected, what was found), then
`N passed, M failed, K known gap(s)`; exit 1 when any case fails, 2 on a usage error. `--report FILE`
also writes the results as a markdown table. Python 3 stdlib only.
"""
import argparse
import json
import os
import re
import subprocess
import sys

CLASSES = {"cpu_incompatibility", "non_convergence", "device_passthrough", "storage",
           "network", "capacity", "unknown", "success"}
EXCERPT_NAMES = ("excerpt.log", "excerpt.txt", "excerpt.json")
TOP_KEYS = ("source", "seen", "what", "expect", "why", "layout", "cut", "known_gap")
REQUIRED_KEYS = ("source", "what", "expect", "why", "layout", "cut")
# analyze exits 0 (done) or 3 (done, some input had warnings); anything else is a failure.
OK_EXIT_CODES = (0, 3)
TIMEOUT_S = 60


class CaseError(Exception):
    """A case folder that does not follow the set's layout."""


def parse_scalar(raw, where):
    """A flat value: a JSON double-quoted string, or the bare rest of the line."""
    raw = raw.strip()
    if raw.startswith('"'):
        try:
            value = json.loads(raw)
        except json.JSONDecodeError as err:
            raise CaseError(f"{where}: bad double-quoted value ({err.msg})") from None
        if not isinstance(value, str):
            raise CaseError(f"{where}: value is not a string")
        return value
    return raw


def read_case_yaml(path):
    """Reads the flat subset of YAML the set uses (see README): top-level `key: value`
    lines, plus the one nested map `expect:` whose `classification:` / `cause:` lines are
    indented. Values are bare words or JSON-style double-quoted strings; nothing else
    (no lists, no multi-line scalars, no comments after values) is accepted."""
    case = {}
    section = None
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            where = f"{path}:{number}"
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            indented = line[0] in " \t"
            key, sep, rest = line.strip().partition(":")
            if not sep:
                raise CaseError(f"{where}: expected 'key: value'")
            if indented:
                if section != "expect":
                    raise CaseError(f"{where}: indented line outside 'expect:'")
                if key not in ("classification", "cause"):
                    raise CaseError(f"{where}: unknown key expect.{key}")
                case["expect"][key] = parse_scalar(rest, where)
                continue
            if key not in TOP_KEYS:
                raise CaseError(f"{where}: unknown key '{key}'")
            if key in case:
                raise CaseError(f"{where}: duplicate key '{key}'")
            if key == "expect":
                if rest.strip():
                    raise CaseError(f"{where}: 'expect:' takes indented keys")
                case["expect"] = {}
                section = "expect"
            else:
                case[key] = parse_scalar(rest, where)
                section = None
    missing = [k for k in REQUIRED_KEYS if k not in case]
    if missing:
        raise CaseError(f"{path}: missing {', '.join(missing)}")
    expected = case["expect"].get("classification")
    if expected not in CLASSES:
        raise CaseError(f"{path}: expect.classification '{expected}' is not one of "
                        f"{', '.join(sorted(CLASSES))}")
    cause = case["expect"].get("cause")
    if cause and not cause.startswith(expected + "."):
        raise CaseError(f"{path}: expect.cause '{cause}' is not a {expected} cause")
    return case


def find_excerpt(folder):
    present = [n for n in EXCERPT_NAMES if os.path.isfile(os.path.join(folder, n))]
    if len(present) != 1:
        raise CaseError(f"{folder}: needs exactly one of {', '.join(EXCERPT_NAMES)}")
    return os.path.join(folder, present[0])


def reads_stdin(binary):
    """True when `analyze --help` documents '-' as standard input."""
    try:
        proc = subprocess.run([binary, "analyze", "--help"], capture_output=True,
                              text=True, timeout=TIMEOUT_S, check=False)
    except OSError:
        return False
    text = proc.stdout + proc.stderr
    return bool(re.search(r"standard input|stdin", text, re.IGNORECASE))


def run_analyze(binary, excerpt, via_stdin):
    """Returns (report dict, None) or (None, error text)."""
    if via_stdin:
        with open(excerpt, "rb") as handle:
            data = handle.read()
        args = [binary, "analyze", "--format", "json", "-"]
    else:
        data = None
        args = [binary, "analyze", "--format", "json", excerpt]
    try:
        proc = subprocess.run(args, input=data, capture_output=True, timeout=TIMEOUT_S,
                              check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        return None, f"could not run: {err}"
    if proc.returncode not in OK_EXIT_CODES:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        return None, f"exit {proc.returncode}: {err[-1] if err else ''}"
    try:
        return json.loads(proc.stdout), None
    except json.JSONDecodeError as err:
        return None, f"output is not JSON ({err.msg})"


def describe(report):
    """One short phrase per incident and finding, e.g. 'incident failed network
    (network.migration-port-refused)'."""
    parts = []
    for inc in report.get("incidents") or []:
        cls = inc.get("classification") or "-"
        cause = inc.get("cause")
        parts.append(f"incident {inc.get('outcome')} {cls}" + (f" ({cause})" if cause else ""))
    for fnd in report.get("findings") or []:
        cls = fnd.get("classification") or "-"
        cause = fnd.get("cause")
        parts.append(f"finding {cls}" + (f" ({cause})" if cause else ""))
    return "; ".join(parts) if parts else "0 incidents, 0 findings"


def meets(report, expect):
    expected = expect["classification"]
    incidents = report.get("incidents") or []
    findings = report.get("findings") or []
    if expected == "success":
        return (any(i.get("outcome") == "succeeded" for i in incidents)
                and not any(i.get("outcome") == "failed" for i in incidents)
                and not findings)
    cause = expect.get("cause")
    for item in list(incidents) + list(findings):
        if item.get("classification") != expected:
            continue
        if cause and item.get("cause") != cause:
            continue
        return True
    return False


def expectation_text(expect):
    cause = expect.get("cause")
    return expect["classification"] + (f" ({cause})" if cause else "")


def check_case(binary, folder, use_stdin):
    """Returns (passed, expected text, found text, known gap or None)."""
    case = read_case_yaml(os.path.join(folder, "case.yaml"))
    excerpt = find_excerpt(folder)
    expect = case["expect"]
    modes = [("file", False)] + ([("stdin", True)] if use_stdin else [])
    passed, found = True, []
    for label, via_stdin in modes:
        report, error = run_analyze(binary, excerpt, via_stdin)
        if error:
            passed = False
            found.append(f"[{label}] {error}")
            continue
        ok = meets(report, expect)
        passed = passed and ok
        text = describe(report)
        found.append(text if len(modes) == 1 else f"[{label}] {text}")
    return passed, expectation_text(expect), " | ".join(found), case.get("known_gap")


def known_causes(binary):
    proc = subprocess.run([binary, "rules", "list"], capture_output=True, text=True,
                          timeout=TIMEOUT_S, check=False)
    return {line.split()[0] for line in proc.stdout.splitlines() if line.strip()}


def lint(binary, cases_dir, folders):
    """Returns the list of problems with the set (empty when tidy)."""
    problems = []
    causes = known_causes(binary)
    if not causes:
        problems.append(f"'{binary} rules list' listed no rules")
    readme = os.path.join(cases_dir, "README.md")
    table = open(readme, encoding="utf-8").read() if os.path.isfile(readme) else ""
    if not table:
        problems.append(f"{readme} is missing")
    for folder in folders:
        name = os.path.basename(folder)
        try:
            case = read_case_yaml(os.path.join(folder, "case.yaml"))
            find_excerpt(folder)
        except CaseError as err:
            problems.append(str(err))
            continue
        cause = case["expect"].get("cause")
        if cause and causes and cause not in causes:
            problems.append(f"{name}: expect.cause '{cause}' is not a known rule id")
        if table and f"| {name} |" not in table:
            problems.append(f"{name}: not listed in the README table")
        if case.get("known_gap") and table and f"- {name}:" not in table:
            problems.append(f"{name}: a known gap not listed under the README's 'Known gaps'")
    return problems


def md_cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True, help="path to the migsleuth binary")
    parser.add_argument("--cases", default=os.path.dirname(os.path.abspath(__file__)),
                        help="folder holding the case folders (default: this script's)")
    parser.add_argument("--only", default="", help="run only cases whose folder name "
                        "contains this text")
    parser.add_argument("--report", help="also write a markdown table of the results here")
    parser.add_argument("--lint", action="store_true", help="check the set's files only "
                        "(no analysis); see above")
    args = parser.parse_args()
    if not os.access(args.binary, os.X_OK):
        print(f"error: {args.binary} is not an executable", file=sys.stderr)
        return 2
    folders = sorted(
        os.path.join(args.cases, name) for name in os.listdir(args.cases)
        if os.path.isfile(os.path.join(args.cases, name, "case.yaml")) and args.only in name)
    if not folders:
        print(f"error: no case folders under {args.cases}", file=sys.stderr)
        return 2
    if args.lint:
        problems = lint(args.binary, args.cases, folders)
        for problem in problems:
            print(f"error: {problem}")
        print(f"{len(folders)} case(s), {len(problems)} problem(s)")
        return 1 if problems else 0
    use_stdin = reads_stdin(args.binary)
    if not use_stdin:
        print("note: analyze does not document standard input; each excerpt is run as a "
              "file only")
    rows, npass, nfail, ngap = [], 0, 0, 0
    for folder in folders:
        name = os.path.basename(folder)
        try:
            passed, expected, found, gap = check_case(args.binary, folder, use_stdin)
        except CaseError as err:
            passed, expected, found, gap = False, "?", f"bad case: {err}", None
        if gap:
            verdict = "FIXED" if passed else "GAP"
            ngap += not passed
            nfail += passed
            if passed:
                found += "; it passes now: remove its known_gap and its README entry"
            else:
                found += f" (known gap: {gap})"
        else:
            verdict = "PASS" if passed else "FAIL"
            npass += passed
            nfail += not passed
        print(f"{verdict} {name}: expected {expected}; found {found}")
        rows.append((name, expected, found, verdict))
    summary = f"{npass} passed, {nfail} failed, {ngap} known gap(s)"
    print(summary)
    if args.report:
        with open(args.report, "w", encoding="utf-8") as out:
            out.write("| case | expected | found | result |\n| --- | --- | --- | --- |\n")
            for name, expected, found, verdict in rows:
                out.write(f"| {md_cell(name)} | {md_cell(expected)} | {md_cell(found)} "
                          f"| {verdict} |\n")
            out.write(f"\n{summary}\n")
    return 1 if nfail else 0


if __name__ == "__main__":
    sys.exit(main())
