#!/usr/bin/env python3
"""migsleuth collect on the command line: every script it prints (each
deployment kind, compute and controller, one instance or a window) passes
shellcheck as POSIX sh; bad arguments are usage errors (exit 2) with a clear
message and no script on stdout.

usage: collect_cli.py MIGSLEUTH shellcheck|usage
"""
import shutil
import subprocess
import sys

BIN, WHAT = sys.argv[1], sys.argv[2]
UUID = "8b2f6d14-c35e-4a0b-9e71-5d3a0c8f2e69"
failures = []


def check(ok, what):
    print(("ok:   " if ok else "FAIL: ") + what)
    if not ok:
        failures.append(what)


def collect(*args):
    return subprocess.run([BIN, "collect", *args], capture_output=True, text=True)


if WHAT == "shellcheck":
    sc = shutil.which("shellcheck")
    if sc is None:
        print("FAIL: shellcheck is not installed (scripts/install-deps.sh installs it)")
        sys.exit(1)
    variants = [["--instance", UUID], ["--since", "2024-02-13 09:00", "--until", "2024-02-13 10:00"],
                ["--instance", UUID, "--since", "2024-02-13"],
                ["--controller", "--instance", UUID], ["--controller", "--since", "2024-02-13"]]
    for dep in ("plain", "tripleo", "edpm", "kolla", "kubernetes"):
        for v in variants:
            args = ["--deployment", dep, *v, "--out-dir", "/var/tmp/it's here"]
            r = collect(*args)
            name = " ".join(args)
            check(r.returncode == 0 and r.stdout.startswith("#!/bin/sh\n"), f"collect {name}")
            s = subprocess.run([sc, "-s", "sh", "-"], input=r.stdout, capture_output=True,
                               text=True)
            check(s.returncode == 0, f"shellcheck: {name}\n{s.stdout}")
elif WHAT == "usage":
    cases = [
        (["--instance", "instance-0000062a"], "not an instance UUID"),
        (["--instance", UUID + "; reboot"], "not an instance UUID"),
        (["--since", "2024-02-14", "--until", "2024-02-13"], "is after --until"),
        ([], "--instance UUID"),
        (["--until", "2024-02-13"], "--until needs --since"),
        (["--instance", UUID, "--since", "yesterday"], "YYYY-MM-DD"),
        (["--instance", UUID, "--deployment", "openshift"], "deployment"),
        (["--instance", UUID, "--job-samples", "0"], "--job-samples"),
        (["--instance", UUID, "--deployment", "kubernetes", "--k8s-namespace", "a_b"],
         "namespace"),
    ]
    for args, said in cases:
        r = collect(*args)
        check(r.returncode == 2 and said in r.stderr and r.stdout == "",
              f"collect {' '.join(args)!r}: exit 2 saying {said!r} (got {r.returncode}: "
              f"{r.stderr.strip()})")
print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
