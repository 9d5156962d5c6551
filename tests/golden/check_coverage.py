#!/usr/bin/env python3
"""Sample coverage of the rule packs and failure classes (issue 6, "Quality bar").

    check_coverage.py --binary build/migsleuth --samples samples --schema contract.json

Reads every samples/<scenario>/expected.json that has a bundle/ next to it (the
golden tests prove each equals the binary's real output, so this reads no logs) and
`migsleuth rules list` (embedded packs), and fails, listing everything missing, when:

1. a cause rule fires on no sample bundle (as the primary `cause` of an incident, or
   as a `secondary[].cause`);
2. a class of the contract's enum (except `unknown`) is the primary classification
   of a failed incident in fewer than 3 sample bundles;
3. no sample bundle has a failed incident classified `unknown`;
4. an incident that succeeded carries a classification, a cause or secondaries;
5. a phantom attempt (issue 18): an incident with no line of a migration request
   (only consequences: a lifecycle event, a QEMU shutdown, a record-less completion),
   or one that starts inside another attempt of the same instance;
6. a `stuck` incident whose timeline shows the transfer completed (a completion line,
   nova's post-migration steps, or the source QEMU shutting down with reason=migrated).

`rules list` prints one rule per line: id, class, "prio N", "conf X", title. Rules
deciding from analyzer facts (no `match`) are rules like any other: each must fire on a
sample bundle too.

Exit status: 0 covered, 1 something missing, 2 usage error. Python 3 stdlib only.
"""
import argparse
import json
import os
import re
import subprocess
import sys

MIN_BUNDLES_PER_CLASS = 3
RULE_LINE = re.compile(r"^(?P<id>\S+)\s+(?P<cls>\S+)\s+prio\s+-?\d+\s+conf\s")


def list_rules(binary):
    proc = subprocess.run([binary, "rules", "list"], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"check_coverage: `{binary} rules list` exited {proc.returncode}: {proc.stderr}")
    rules = {}
    for line in proc.stdout.splitlines():
        m = RULE_LINE.match(line)
        if m:
            rules[m.group("id")] = m.group("cls")
        elif line.strip():
            sys.exit(f"check_coverage: cannot read this `rules list` line: {line!r}")
    if not rules:
        sys.exit("check_coverage: `rules list` listed no rule")
    return rules


def contract_classes(schema_path):
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    incident = schema["properties"]["incidents"]["items"]["properties"]
    return [c for c in incident["classification"]["enum"] if c is not None]


def load_samples(samples_dir):
    """(scenario, incidents) for every scenario with a bundle/ and an expected.json."""
    out = []
    for name in sorted(os.listdir(samples_dir)):
        scenario = os.path.join(samples_dir, name)
        expected = os.path.join(scenario, "expected.json")
        if not os.path.isdir(os.path.join(scenario, "bundle")) or not os.path.isfile(expected):
            continue
        with open(expected, encoding="utf-8") as f:
            report = json.load(f)
        out.append((name, report.get("incidents", [])))
    return out


# Lines only a migration request makes (its own request's lines, the job's
# start on either host, the controller's record): an attempt has at least one.
REQUEST_KINDS = {"migration_started", "migration_progress", "migration_failed",
                 "migration_aborted", "migration_timeout", "precheck_failed",
                 "dest_pre_migration", "pre_migration_done", "qemu_migration_out", "qemu_incoming",
                 "migration_record", "postcopy_started", "migration_succeeded",
                 "dest_post_migration"}
COMPLETION_KINDS = {"migration_completed", "migration_succeeded", "dest_post_migration"}


def attempt_problems(name, incidents):
    """Phantom attempts and stuck-after-completion (checks 5 and 6)."""
    problems = []
    by_instance = {}
    for inc in incidents:
        label = f"{name} {inc.get('id', '?')}"
        kinds = [e.get("kind") for e in inc.get("timeline") or []]
        if not REQUEST_KINDS.intersection(kinds):
            problems.append(f"phantom attempt (no line of a migration request): {label} "
                            f"(kinds: {sorted(set(kinds))})")
        by_instance.setdefault(inc.get("instance_uuid"), []).append(inc)
        if inc.get("outcome") == "stuck":
            done = [e for e in inc.get("timeline") or []
                    if e.get("kind") in COMPLETION_KINDS
                    or (e.get("kind") == "qemu_shutdown" and e.get("role") != "destination"
                        and "reason=migrated" in e.get("text", ""))]
            if done:
                problems.append(f"stuck although the transfer completed: {label} "
                                f"({done[0].get('kind')} at {done[0].get('time')})")
    for attempts in by_instance.values():
        attempts = sorted(attempts, key=lambda i: i.get("started_at") or "")
        for before, after in zip(attempts, attempts[1:]):
            end, start = before.get("ended_at"), after.get("started_at")
            if end and start and start < end:
                problems.append(f"phantom attempt (starts inside {before.get('id')}): "
                                f"{name} {after.get('id')}")
    return problems


def check(rules, classes, samples):
    problems = []
    fired = {}           # rule id -> scenarios
    by_class = {}        # class -> scenarios with a failed incident of that primary class
    for name, incidents in samples:
        problems.extend(attempt_problems(name, incidents))
        for inc in incidents:
            label = f"{name} {inc.get('id', '?')}"
            causes = [inc.get("cause")] + [s.get("cause") for s in inc.get("secondary") or []]
            if inc.get("outcome") == "succeeded":
                if inc.get("classification") is not None or inc.get("cause") or inc.get("secondary"):
                    problems.append(f"succeeded incident carries a cause: {label} "
                                    f"(classification {inc.get('classification')}, cause "
                                    f"{inc.get('cause')}, secondary {[c for c in causes[1:]]})")
                continue
            for c in causes:
                if c:
                    fired.setdefault(c, set()).add(name)
            if inc.get("outcome") == "failed":
                by_class.setdefault(inc.get("classification"), set()).add(name)

    for rule_id in sorted(rules):
        if rule_id not in fired:
            problems.append(f"rule fires on no sample bundle: {rule_id} ({rules[rule_id]})")
    for cls in classes:
        have = sorted(by_class.get(cls, ()))
        if cls == "unknown":
            if not have:
                problems.append("no sample bundle has a failed incident classified unknown")
            continue
        if len(have) < MIN_BUNDLES_PER_CLASS:
            problems.append(f"class {cls}: {len(have)} sample bundle(s) with a failed incident of "
                            f"that class, need {MIN_BUNDLES_PER_CLASS}"
                            + (f" (have: {', '.join(have)})" if have else ""))
    return problems, fired, by_class


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--samples", required=True)
    ap.add_argument("--schema", required=True, help="report-v1.schema.json (classification enum)")
    args = ap.parse_args()
    if not os.path.isdir(args.samples) or not os.path.isfile(args.schema):
        print("check_coverage: --samples must be a folder and --schema a file", file=sys.stderr)
        return 2

    rules = list_rules(args.binary)
    classes = contract_classes(args.schema)
    samples = load_samples(args.samples)
    problems, fired, by_class = check(rules, classes, samples)

    print(f"{len(samples)} sample bundle(s), {len(rules)} cause rule(s), "
          f"{sum(1 for r in rules if r in fired)} fired on at least one bundle")
    for cls in classes:
        print(f"  {cls:<20} {len(by_class.get(cls, ()))} bundle(s) with a failed incident")
    if problems:
        print(f"\nsample coverage: {len(problems)} thing(s) missing:")
        for p in problems:
            print(f"  - {p}")
        return 1
    print("sample coverage: every rule fires on a bundle, every class has its bundles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
