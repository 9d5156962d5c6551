#!/usr/bin/env python3
"""One migration, many ways of handing it over: the same incident must come out.

The network-port-refused migration is analyzed as collected in folders, with
the source's log in oslo.log JSON plus controller captures, as two sosreport
.tar.xz files, (built here) as rotated logs split across a plain file and
gzip/xz/zstd/bzip2 rotations with a sosreport-style hostname file, and (built
here) as Kubernetes pod logs (CRI and docker json-file) of a nova that logs
local time two hours ahead of UTC. The
attempt's identity, roles, times, outcome and cause must be identical.

    equivalence.py --binary build/migsleuth --samples samples
"""
import argparse
import bz2
import datetime
import gzip
import json
import lzma
import os
import re
import shutil
import subprocess
import sys
import tempfile

FIELDS = ("id", "instance_uuid", "instance_name", "request_id", "source_host",
          "destination_host", "started_at", "ended_at", "outcome", "classification", "cause",
          "confidence", "summary")
SCENARIOS = ("network-port-refused", "json-logs-domjobinfo", "sosreport-pair-tarxz",
             "syslog-wrapped")
# Also one migration whose destination logs naive local time (UTC-4) with no --tz.
SAME_AS = {"tz-different-zones": "success-with-noise"}


def incidents(binary, bundle):
    p = subprocess.run([binary, "analyze", "--format", "json", bundle], capture_output=True,
                       timeout=120)
    if p.returncode not in (0, 3):
        raise SystemExit(f"{bundle}: exit {p.returncode}: {p.stderr.decode(errors='replace')}")
    return [{k: i.get(k) for k in FIELDS} for i in json.loads(p.stdout)["incidents"]]


def rotated_copy(samples, work):
    """network-port-refused with each host's nova log split in three rotations,
    the older ones compressed, as logrotate leaves them."""
    dst = os.path.join(work, "rotated")
    shutil.copytree(os.path.join(samples, "network-port-refused", "bundle"), dst)
    codecs = {"cmp-a": (gzip.compress, bz2.compress), "cmp-b": (lzma.compress, None)}
    for host, (older, oldest) in codecs.items():
        log = os.path.join(dst, host, "var", "log", "nova", "nova-compute.log")
        lines = open(log, "rb").read().splitlines(keepends=True)
        a, b = len(lines) // 3, 2 * len(lines) // 3
        os.remove(log)
        open(log, "wb").write(b"".join(lines[b:]))
        open(log + ".1.gz" if host == "cmp-a" else log + ".1.xz", "wb").write(
            older(b"".join(lines[a:b])))
        if oldest is not None:
            open(log + ".2.bz2", "wb").write(oldest(b"".join(lines[:a])))
        elif shutil.which("zstd"):
            z = subprocess.run(["zstd", "-q", "-c"], input=b"".join(lines[:a]),
                               capture_output=True, check=True).stdout
            open(log + "-20240520.zst", "wb").write(z)
        else:
            open(log + ".2", "wb").write(b"".join(lines[:a]))
    return dst


OSLO_STAMP = re.compile(rb"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})")


def pod_log_copy(samples, work):
    """network-port-refused as two Kubernetes nodes keep it: cmp-a's nova log as
    a CRI pod log (containerd), its longest line cut into P + F records,
    cmp-b's as a docker json-file log; nova writes local time two hours ahead of
    UTC and only the runtime's UTC stamps say so (no --tz, no nova/QEMU pair)."""
    dst = os.path.join(work, "pods")
    shutil.copytree(os.path.join(samples, "network-port-refused", "bundle"), dst)
    for host in ("cmp-a", "cmp-b"):
        log = os.path.join(dst, host, "var", "log", "nova", "nova-compute.log")
        lines = open(log, "rb").read().splitlines()
        os.remove(log)
        longest = max(range(len(lines)), key=lambda i: len(lines[i]))
        out, stamp = [], b"2024-01-01T00:00:00.000000000Z"
        for i, line in enumerate(lines):
            m = OSLO_STAMP.match(line)
            if m:
                utc = datetime.datetime.strptime(m.group(1).decode(), "%Y-%m-%d %H:%M:%S.%f")
                stamp = (utc.strftime("%Y-%m-%dT%H:%M:%S.%f") + "417Z").encode()
                local = (utc + datetime.timedelta(hours=2)).strftime("%Y-%m-%d %H:%M:%S.%f")
                line = local[:23].encode() + line[23:]
            if host == "cmp-a":
                parts = [line[:60], line[60:]] if i == longest else [line]
                for k, part in enumerate(parts):
                    flag = b"F" if k == len(parts) - 1 else b"P"
                    out.append(stamp + b" stdout " + flag + b" " + part)
            else:
                out.append(json.dumps({"log": line.decode() + "\n", "stream": "stdout",
                                       "time": stamp.decode()}).encode())
        if host == "cmp-a":
            folder = os.path.join(dst, host, "var", "log", "pods",
                                  "openstack_nova-compute-default-x7k2p_"
                                  "4f1c2b9e-8d3a-4c55-9e61-2b7f0d9a6c13", "nova-compute")
            name = "0.log"
        else:
            folder = os.path.join(dst, host, "var", "log", "containers")
            name = "nova-compute-default-k9w4p_openstack_nova-compute-" + "5d0b8e2c" * 8 + ".log"
        os.makedirs(folder, exist_ok=True)
        open(os.path.join(folder, name), "wb").write(b"\n".join(out) + b"\n")
    return dst


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--samples", required=True)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="migsleuth-equiv-")
    try:
        bundles = {s: os.path.join(args.samples, s, "bundle") for s in SCENARIOS}
        bundles["rotated-compressed (built)"] = rotated_copy(args.samples, work)
        bundles["Kubernetes pod logs, nova in UTC+2 (built)"] = pod_log_copy(args.samples, work)
        results = {name: incidents(args.binary, b) for name, b in bundles.items()}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for name, ref in SAME_AS.items():
        a = incidents(args.binary, os.path.join(args.samples, name, "bundle"))
        b = incidents(args.binary, os.path.join(args.samples, ref, "bundle"))
        if a != b or not a:
            print(f"FAIL {name}: differs from {ref}: {a} != {b}")
            return 1
        print(f"ok   {name} == {ref}")
    reference_name = SCENARIOS[0]
    reference = results[reference_name]
    failures = 0
    if len(reference) != 1:
        print(f"FAIL: {reference_name} should hold exactly one incident, got {len(reference)}")
        return 1
    for name, got in results.items():
        if got == reference:
            print(f"ok   {name}")
            continue
        failures += 1
        print(f"FAIL {name}: differs from {reference_name}")
        for k in FIELDS:
            a = reference[0].get(k)
            b = got[0].get(k) if got else None
            if a != b:
                print(f"       {k}: {a!r} != {b!r}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
