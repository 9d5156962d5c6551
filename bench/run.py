#!/usr/bin/env python3
"""migsleuth benchmark: times migsleuth against cat, ripgrep and the fastest
decompressors on the same generated corpora, in the same run, and writes a
markdown table with MB/s and ratios to `rg -j2 -o <UUID regex>`.

    bench/run.py [--size-mb 1024] [--runs 3] [--binary build/migsleuth]
                 [--data /var/tmp/migsleuth-bench] [--variants plain,gzip,zstd,xz,concat,tiny]

Needs hyperfine, ripgrep and GNU time (scripts/install-deps.sh --bench). Results
go to bench/results/<date>-<hostname>/ (results.md + the raw hyperfine JSON).
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def corpus(data, size, variant):
    path = os.path.join(data, f"s{size}-{variant}")
    if not os.path.isdir(path):
        tmp = path + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        subprocess.run([sys.executable, os.path.join(HERE, "gen_bundle.py"), "--out", tmp,
                        "--size-mb", str(size), "--variant", variant], check=True)
        os.rename(tmp, path)
    return path


def du_bytes(path):
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            total += os.path.getsize(os.path.join(d, f))
    return total


def hyperfine(commands, runs, export):
    args = ["hyperfine", "--style", "basic", "--warmup", "1", "--runs", str(runs),
            "--export-json", export]
    for name, cmd in commands:
        args += ["-n", name, cmd]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    with open(export) as f:
        return {r["command"]: r for r in json.load(f)["results"]}


def peak_rss_mib(cmd):
    p = subprocess.run(["/usr/bin/time", "-v", "sh", "-c", cmd], capture_output=True, text=True)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return int(m.group(1)) / 1024 if m else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size-mb", type=int, default=1024)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--binary", default=os.path.join(HERE, "..", "build", "migsleuth"))
    ap.add_argument("--data", default="/var/tmp/migsleuth-bench")
    ap.add_argument("--variants", default="plain,gzip,zstd,xz,concat,tiny")
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    os.makedirs(a.data, exist_ok=True)
    stamp = datetime.date.today().isoformat()
    outdir = os.path.join(HERE, "results", f"{stamp}-{platform.node()}")
    os.makedirs(outdir, exist_ok=True)
    mig = f"{binary} analyze --format json --jobs 2"
    rows = []
    for variant in a.variants.split(","):
        path = corpus(a.data, a.size_mb, variant)
        size = du_bytes(path)
        cmds = [("cat", f"find {path} -type f -print0 | xargs -0 cat > /dev/null"),
                ("rg -c literal", f"rg -j2 -c 'Live Migration failure' {path} > /dev/null || true"),
                ("rg -j2 -o UUID", f"rg -j2 -o '{UUID_RE}' {path} > /dev/null")]
        if variant in ("gzip", "zstd", "xz"):
            ext, tool = {"gzip": (".gz", "zcat"), "zstd": (".zst", "zstd -dcq"),
                         "xz": (".xz", "xz -dc")}[variant]
            if variant == "gzip" and shutil.which("igzip"):
                tool = "igzip -dc"
            cmds.append((f"{tool.split()[0]} -P2 (decompress only)",
                         f"find {path} -name '*{ext}' -print0 | xargs -0 -P2 -n4 {tool} > /dev/null"))
            cmds.append(("rg -z -j2 -o UUID", f"rg -z -j2 -o '{UUID_RE}' {path} > /dev/null"))
        if shutil.which("lnav") and variant == "plain":
            cmds.append(("lnav -n", f"lnav -n {path} > /dev/null"))
        cmds.append(("migsleuth analyze", f"{mig} {path} > /dev/null; test $? -le 3"))
        res = hyperfine(cmds, a.runs, os.path.join(outdir, f"{variant}.json"))
        base = res["rg -j2 -o UUID"]["median"]
        rss = peak_rss_mib(f"{mig} {path} > /dev/null")
        for name, _ in cmds:
            med = res[name]["median"]
            rows.append((variant, name, med, size / med / 1e6, med / base,
                         rss if name == "migsleuth analyze" else None))
        nfiles = sum(len(f) for _, _, f in os.walk(path))
        print(f"{variant}: {size / 1e6:.0f} MB in {nfiles} files done", file=sys.stderr)
    lines = [f"# migsleuth benchmark, {stamp}, {platform.node()}",
             "", f"{os.cpu_count()} cores; corpus {a.size_mb} MiB per variant (bench/gen_bundle.py,"
             f" seed 1); median of {a.runs} runs after 1 warm-up (hyperfine).", "",
             "| corpus | command | median s | MB/s | ratio to rg -j2 -o UUID | peak RSS MiB |",
             "| --- | --- | ---: | ---: | ---: | ---: |"]
    for v, name, med, mbs, ratio, rss in rows:
        lines.append(f"| {v} | {name} | {med:.3f} | {mbs:.0f} | {ratio:.2f} | "
                     f"{'' if rss is None else f'{rss:.0f}'} |")
    table = "\n".join(lines) + "\n"
    with open(os.path.join(outdir, "results.md"), "w") as f:
        f.write(table)
    print(table)


if __name__ == "__main__":
    main()
