#!/usr/bin/env python3
"""Contract test: the JSON report of every sample validates against report-v1.

    validate_schema.py --binary build/migsleuth [--repo DIR] [--schema FILE]

The schema is found relative to the repository, at <repo>/../shared/contract/report-v1.schema.json
(where CI has it). Needs python3-jsonschema (Draft 2020-12); `format` is not enforced.
Exit status: 0 all valid, 1 a report is invalid, 2 usage/setup error.
"""
import argparse
import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from normalize import OK_EXIT_CODES, run_analyze  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--repo", default=REPO, help="repository root (default: two levels above this script)")
    ap.add_argument("--schema", help="schema file (default: <repo>/../shared/contract/report-v1.schema.json)")
    args = ap.parse_args()

    try:
        import jsonschema
    except ImportError:
        print("error: python3-jsonschema is not installed (apt-get install python3-jsonschema)", file=sys.stderr)
        return 2
    schema_path = args.schema or os.path.join(args.repo, "..", "shared", "contract", "report-v1.schema.json")
    try:
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
    except (OSError, ValueError) as e:
        print(f"error: cannot load schema {schema_path}: {e}", file=sys.stderr)
        return 2
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    scenarios = sorted(d for d in glob.glob(os.path.join(args.repo, "samples", "*", "")) if os.path.isdir(os.path.join(d, "bundle")))
    if not scenarios:
        print(f"error: no samples/*/bundle under {args.repo}", file=sys.stderr)
        return 2
    bad = 0
    for scen in scenarios:
        name = os.path.basename(scen.rstrip("/"))
        code, out, err = run_analyze(os.path.abspath(args.binary), os.path.join(scen, "bundle"), os.path.join(args.repo, "samples"))
        if code not in OK_EXIT_CODES:
            print(f"FAIL [{name}]: migsleuth exited with {code}: {err.strip()[:2000]}")
            bad += 1
            continue
        try:
            doc = json.loads(out)
        except ValueError as e:
            print(f"FAIL [{name}]: not JSON: {e}")
            bad += 1
            continue
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if errors:
            bad += 1
            print(f"FAIL [{name}]: {len(errors)} schema violation(s)")
            for e in errors[:20]:
                where = "/" + "/".join(str(p) for p in e.absolute_path)
                print(f"  at {where}: {e.message}")
        else:
            print(f"ok [{name}]")
    print(f"{len(scenarios) - bad}/{len(scenarios)} reports valid against {os.path.normpath(schema_path)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
