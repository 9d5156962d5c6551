#!/usr/bin/env python3
"""Every confirm command migsleuth prints passes the read-only checker.

Runs `migsleuth analyze --format json` on every samples/*/bundle and
`migsleuth preflight --format json` on every samples/preflight-*/hosts,
collects every `confirm_commands` entry anywhere in the reports, and checks
them all with `migsleuth rules check-command --gaps` (a `<name>` gap is a
value the operator fills in). Every bundle is analyzed as detected and again
with each `--deployment` (plain, tripleo, edpm, kolla, kubernetes), so every
rendering of every command is checked, wrappers included. Fails listing each refused command, its sample
and the checker's reason. Also fails when no command was found at all, so
the test cannot pass by reading nothing.
"""
import argparse
import concurrent.futures
import json
import pathlib
import subprocess
import sys


NOT_REWRITTEN = []  # commands whose deployment form the checker refused (a renderer bug)


def commands_in(node, out):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "confirm_commands" and isinstance(value, list):
                for c in value:
                    out.append(c["command"] if isinstance(c, dict) else c)
                    if isinstance(c, dict) and "(not rewritten for " in c.get("why", ""):
                        NOT_REWRITTEN.append(c["command"])
            else:
                commands_in(value, out)
    elif isinstance(node, list):
        for item in node:
            commands_in(item, out)


def report(binary, args, cwd):
    run = subprocess.run([binary, *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    if run.returncode not in (0, 3):
        sys.exit(f"`migsleuth {' '.join(args)}` in {cwd} exited {run.returncode}: {run.stderr}")
    return json.loads(run.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--samples", required=True)
    args = ap.parse_args()
    args.binary = str(pathlib.Path(args.binary).resolve())
    samples = pathlib.Path(args.samples)
    found = []  # (sample, command)
    deployments = ["auto", "plain", "tripleo", "edpm", "kolla", "kubernetes"]
    runs = [(bundle, d) for bundle in sorted(samples.glob("*/bundle")) for d in deployments]

    def commands_of(run):
        bundle, deployment = run
        cmds = []
        commands_in(report(args.binary, ["analyze", "--format", "json", "--jobs", "1",
                                         "--deployment", deployment, "bundle"], bundle.parent),
                    cmds)
        return [(bundle.parent.name, c) for c in cmds]

    # Two analyses at a time (each on one thread): 59 samples x 6 deployments.
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for pairs in pool.map(commands_of, runs):
            found += pairs
    for hosts in sorted(samples.glob("preflight-*/hosts")):
        for deployment in deployments[1:]:
            cmds = []
            commands_in(report(args.binary, ["preflight", "--format", "json", "--deployment",
                                             deployment, "hosts"], hosts.parent), cmds)
            found += [(hosts.parent.name, c) for c in cmds]
    if not found:
        sys.exit("no confirm command found in any sample report")
    if NOT_REWRITTEN:
        print("commands the deployment renderer could not rewrite read-only:")
        for c in sorted(set(NOT_REWRITTEN)):
            print(f"  {c}")
        return 1
    unique = sorted({c for _, c in found})
    run = subprocess.run([args.binary, "rules", "check-command", "--gaps", *unique],
                         capture_output=True, text=True, timeout=120)
    if run.returncode not in (0, 1):
        sys.exit(f"rules check-command exited {run.returncode}: {run.stderr}")
    refused = [line for line in run.stdout.splitlines() if not line.startswith("read-only: ")]
    if run.returncode != 0 or refused:
        print("confirm commands that are not read-only:")
        for line in refused:
            cmd = line[len("refused:   "):] if line.startswith("refused:") else None
            where = sorted({s for s, c in found if c == cmd}) if cmd else []
            print(f"  {line}" + (f"   (samples: {', '.join(where)})" if where else ""))
        return 1
    print(f"{len(unique)} distinct confirm commands from {len({s for s, _ in found})} samples: "
          "all read-only")
    return 0


if __name__ == "__main__":
    sys.exit(main())
