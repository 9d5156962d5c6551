#!/usr/bin/env python3
"""Hostile-input battery: one bundle holding every kind of bad file next to a
real two-host migration. migsleuth must not crash or hang, must still find the
real incident, must list every bad file with a warning, must leave every input
byte-identical and must write nothing but its output file.

    battery.py --binary build/migsleuth --samples samples
"""
import argparse
import gzip
import hashlib
import json
import lzma
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time

TIME_LIMIT_S = 120


def snapshot(root):
    """path -> (kind, sha256 or link target) for everything under root."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                out[p] = ("link", os.readlink(p))
            elif stat.S_ISREG(st.st_mode):
                h = hashlib.sha256()
                try:
                    with open(p, "rb") as f:
                        h.update(f.read())
                    out[p] = ("file", h.hexdigest(), st.st_mode)
                except PermissionError:
                    out[p] = ("unreadable", st.st_size, st.st_mode)
            elif stat.S_ISDIR(st.st_mode):
                out[p] = ("dir",)
            else:
                out[p] = ("special", stat.S_IFMT(st.st_mode))
    return out


def build_bundle(root, samples):
    shutil.copytree(os.path.join(samples, "network-port-refused", "bundle"), root)
    bad = os.path.join(root, "cmp-a", "var", "log", "junk")
    os.makedirs(bad)
    w = lambda name, data: open(os.path.join(bad, name), "wb").write(data)
    w("empty.log", b"")
    w("garbage.bin", os.urandom(64 * 1024))
    w("nul-bytes.log", b"2024-05-21 14:02:12.463 3012 ERROR x [-] a\x00b\x00c\n" * 100)
    w("invalid-utf8.log", b"2024-05-21 14:02:12.463 3012 ERROR nova.compute.manager [-] "
      b"[instance: bd8a3212-8687-4525-a8f2-f40322c72d5f] \xff\xfe\xc3\x28 bad \xed\xa0\x80\n")
    w("huge-line.log", b"x" * (20 * 1024 * 1024) + b"\n")
    good = gzip.compress(b"2024-05-21 14:02:12.463 3012 INFO a [-] b\n" * 2000)
    w("truncated.log.gz", good[: len(good) // 2])
    varied = b"".join(b"2024-05-21 14:00:00.000 1 INFO x [-] line %d\n" % i for i in range(100000))
    xz = lzma.compress(varied)
    w("truncated.log.xz", xz[: len(xz) // 2])
    zst = subprocess.run(["zstd", "-q", "-c"], input=varied, capture_output=True, check=True).stdout
    w("truncated.log.zst", zst[: len(zst) // 2])
    w("magic-lies.log.gz", b"\x1f\x8b\x08\x00" + os.urandom(4096))
    w("bomb.log.gz", gzip.compress(b"\0" * (64 * 1024 * 1024)))
    os.symlink("no-such-file.log", os.path.join(bad, "dangling.log"))
    os.symlink("..", os.path.join(bad, "loop"))
    os.mkfifo(os.path.join(bad, "pipe.log"))
    unreadable = os.path.join(bad, "unreadable.log")
    w("unreadable.log", b"secret\n")
    os.chmod(unreadable, 0)
    tiny = os.path.join(root, "cmp-a", "var", "log", "tiny")
    os.makedirs(tiny)
    for i in range(20000):
        with open(os.path.join(tiny, f"{i:05}.log"), "wb") as f:
            f.write(b"2024-05-21 14:00:00.000 1 INFO x [-] tiny %d\n" % i)
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--samples", required=True)
    args = ap.parse_args()
    failures = []
    work = tempfile.mkdtemp(prefix="migsleuth-hostile-")
    try:
        bundle = os.path.join(work, "bundle")
        bad = build_bundle(bundle, args.samples)
        before = snapshot(bundle)
        out = os.path.join(work, "out", "report.json")
        os.makedirs(os.path.dirname(out))
        t0 = time.monotonic()
        p = subprocess.run([args.binary, "analyze", "--format", "json", "-o", out, bundle],
                           capture_output=True, timeout=TIME_LIMIT_S)
        elapsed = time.monotonic() - t0
        if p.returncode not in (0, 3):
            failures.append(f"exit code {p.returncode}: {p.stderr.decode(errors='replace')[-2000:]}")
        if os.geteuid() != 0 and p.returncode != 3:
            failures.append("an unreadable file must give exit code 3")
        report = json.load(open(out, encoding="utf-8"))  # must be valid UTF-8 JSON
        inputs = {i["path"]: i for i in report["inputs"]}
        for name in ("empty.log", "garbage.bin", "nul-bytes.log", "invalid-utf8.log",
                     "huge-line.log", "truncated.log.gz", "truncated.log.xz", "truncated.log.zst",
                     "magic-lies.log.gz", "bomb.log.gz", "dangling.log", "pipe.log",
                     "unreadable.log", "loop"):
            path = os.path.join(bad, name)
            if path not in inputs:
                failures.append(f"{name} is not listed in inputs[]")
        for name in ("truncated.log.gz", "truncated.log.xz", "truncated.log.zst", "magic-lies.log.gz",
                     "dangling.log", "pipe.log", "huge-line.log", "loop"):
            i = inputs.get(os.path.join(bad, name))
            if i is not None and not i["warnings"]:
                failures.append(f"{name} has no warning")
        for name in ("garbage.bin", "empty.log"):
            i = inputs.get(os.path.join(bad, name))
            if i is not None and i["kind"] != "unrecognized":
                failures.append(f"{name} should be unrecognized, got {i['kind']}")
        tiny = [p for p in inputs if "/tiny/" in p]
        if len(tiny) != 20000:
            failures.append(f"expected 20000 tiny files in inputs, got {len(tiny)}")
        failed = [i for i in report["incidents"] if i["outcome"] == "failed"]
        if not any(i.get("cause") == "network.migration-port-refused" for i in failed):
            failures.append("the real incident was not found next to the bad files")
        after = snapshot(bundle)
        if before != after:
            changed = sorted(set(before.items()) ^ set(after.items()))[:5]
            failures.append(f"inputs changed: {changed}")
        extra = os.listdir(os.path.dirname(out))
        if extra != ["report.json"]:
            failures.append(f"unexpected files next to the output: {extra}")
        print(f"battery: {len(inputs)} inputs in {elapsed:.1f}s, exit {p.returncode}")
    finally:
        for dirpath, dirnames, filenames in os.walk(work):
            for n in filenames:
                try:
                    os.chmod(os.path.join(dirpath, n), 0o600)
                except OSError:
                    pass
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
