#!/usr/bin/env python3
"""End-to-end test of `migsleuth scan` and `migsleuth merge` (README "Batch scans").

Builds a folder of bundles from samples/*/bundle in mixed layouts (plain
folders, folders of gzip-compressed files, .tar.gz archives) plus a corrupt
archive and a stray file, then checks that:
  - scan --jobs 2 finds exactly the incidents and the findings (tied to no
    attempt) that `analyze --format json` finds per bundle;
  - the output is byte-identical for --jobs 1 and 2, and on a resumed run;
  - 3 shards (3 processes at once) merged are byte-identical to one run, JSONL and database;
  - every SQL query of README "Batch scans" runs on the database and answers;
  - ^C leaves a consistent database that a second run completes;
  - peak memory does not grow with the number of bundles.
usage: scan_e2e.py MIGSLEUTH SOURCE_DIR WORK_DIR
"""
import gzip
import json
import os
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tarfile
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from sanitizer_build import asan_build  # noqa: E402

BIN, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what, file=sys.stderr)


def run(*args, **kw):
    return subprocess.run([BIN, *args], capture_output=True, text=True, **kw)


def is_compressed(path):
    with open(path, "rb") as f:
        head = f.read(6)
    return head[:2] == b"\x1f\x8b" or head[:3] == b"BZh" or head[:6] == b"\xfd7zXZ\x00" \
        or head[:4] == b"\x28\xb5\x2f\xfd"


def gzip_tree(root):
    for d, _, files in os.walk(root):
        for name in files:
            p = os.path.join(d, name)
            if is_compressed(p):
                continue
            with open(p, "rb") as f:
                data = f.read()
            with gzip.GzipFile(p, "wb", mtime=0) as g:  # same name: the kind is sniffed
                g.write(data)


def make_bundles(dest, copies):
    os.makedirs(dest)
    samples = sorted(d for d in os.listdir(os.path.join(SRC, "samples"))
                     if os.path.isdir(os.path.join(SRC, "samples", d, "bundle")))
    for s in samples:
        bundle = os.path.join(SRC, "samples", s, "bundle")
        for c in range(copies):
            layout = c % 3
            name = f"{s}-{c}"
            if layout == 0:
                shutil.copytree(bundle, os.path.join(dest, name))
            elif layout == 1:
                shutil.copytree(bundle, os.path.join(dest, name + "-gz"))
                gzip_tree(os.path.join(dest, name + "-gz"))
            else:
                with tarfile.open(os.path.join(dest, name + ".tar.gz"), "w:gz") as t:
                    for entry in sorted(os.listdir(bundle)):
                        t.add(os.path.join(bundle, entry), arcname=entry)
    return samples


def lines_by_bundle(text, record=None):
    """A bundle's incident lines (record None) or finding lines ("finding")."""
    out = {}
    for line in text.splitlines():
        rec = json.loads(line)
        if rec.pop("record", None) != record:
            continue
        out.setdefault(rec.pop("bundle"), []).append(rec)
    return out


def table_rows(db):
    con = sqlite3.connect(db)
    rows = {}
    for t in ("meta", "bundles", "inputs", "incidents", "evidence", "findings"):
        rows[t] = sorted(map(repr, con.execute(f"SELECT * FROM {t}")))
    con.close()
    return rows


def readme_queries():
    text = open(os.path.join(SRC, "README.md"), encoding="utf-8").read()
    section = text.split("## Batch scans", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


def peak_rss_kb(args):
    code = ("import resource,subprocess,sys;"
            "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code, BIN, *args], capture_output=True, text=True)
    return int(out.stdout.strip())


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    bundles = os.path.join(WORK, "bundles")
    make_bundles(bundles, 3)
    with open(os.path.join(bundles, "zz-corrupt.tar.gz"), "wb") as f:
        f.write(b"\x1f\x8b\x08\x00" + os.urandom(400))
    with open(os.path.join(bundles, "NOTES.txt"), "w") as f:
        f.write("not a bundle\n")
    listed = sorted(os.listdir(bundles))
    n_bundles = len(listed) - 1  # NOTES.txt is not one

    # One run, --jobs 2.
    t0 = time.monotonic()
    r = run("scan", "--jobs", "2", "--jsonl", f"{WORK}/all.jsonl", "--db", f"{WORK}/all.sqlite",
            bundles)
    elapsed = time.monotonic() - t0
    check(r.returncode == 3, f"scan with a corrupt bundle exits 3 (got {r.returncode}: {r.stderr})")
    check("zz-corrupt.tar.gz" in r.stderr, "the corrupt bundle is reported on stderr")
    check("NOTES.txt: not a folder or an archive" in r.stdout, "a stray file is listed as skipped")
    check(f"bundles: {n_bundles} ({n_bundles} analyzed" in r.stdout, "summary counts bundles")
    single = open(f"{WORK}/all.jsonl", encoding="utf-8").read()
    found = lines_by_bundle(single)
    found_loose = lines_by_bundle(single, "finding")
    n_incidents = sum(map(len, found.values()))
    n_findings = sum(map(len, found_loose.values()))
    print(f"scan --jobs 2: {n_bundles} bundles, {n_incidents} incidents and {n_findings} "
          f"findings in {elapsed:.2f} s ({n_bundles / elapsed:.1f} bundles/s)")
    check(n_findings > 0, "findings tied to no attempt are in the JSONL")
    check(f"findings not tied to an attempt: {n_findings} (" in r.stdout,
          "the summary counts the findings")

    # The same incidents as analyze, bundle by bundle.
    for name in listed:
        if name in ("NOTES.txt", "zz-corrupt.tar.gz"):
            continue
        path = os.path.join(bundles, name)
        a = run("analyze", "--format", "json", path)
        check(a.returncode in (0, 3), f"analyze {name}: exit {a.returncode}")
        report = json.loads(a.stdout)
        for kind, lines in (("incidents", found), ("findings", found_loose)):
            expected = report[kind]
            got = lines.get(path, [])
            for rec in got:
                rec.pop("error_template")
            check(got == expected,
                  f"{name}: scan and analyze agree on {kind} ({len(got)} vs {len(expected)})")

    # --jobs 1 and a resumed run write the same bytes.
    r1 = run("scan", "--jobs", "1", "-q", "--jsonl", "-", bundles)
    check(r1.stdout == single, "--jobs 1 JSONL == --jobs 2 JSONL")
    rr = run("scan", "--jobs", "2", "--jsonl", "-", "--db", f"{WORK}/all.sqlite", bundles)
    check(rr.stdout == single, "resumed run JSONL == first run")
    check(f"(0 analyzed, {n_bundles} already in the database" in rr.stderr,
          "resumed run analyzes nothing")

    # Three shards as three processes, merged.
    procs = [subprocess.Popen([BIN, "scan", "-q", "--jobs", "1", "--shard", f"{k}/3",
                               "--jsonl", f"{WORK}/shard{k}.jsonl",
                               "--db", f"{WORK}/shard{k}.sqlite", bundles])
             for k in (1, 2, 3)]
    for p in procs:
        p.wait()
        check(p.returncode in (0, 3), f"shard exit {p.returncode}")
    shard_lines = [open(f"{WORK}/shard{k}.jsonl").read().count("\n") for k in (1, 2, 3)]
    check(sum(shard_lines) == single.count("\n"), f"shards split the incidents {shard_lines}")
    m = run("merge", "-q", "-o", f"{WORK}/merged.jsonl",
            *[f"{WORK}/shard{k}.jsonl" for k in (1, 2, 3)])
    check(m.returncode == 0, f"merge jsonl: {m.stderr}")
    check(open(f"{WORK}/merged.jsonl").read() == single, "merged JSONL == single run, bytes")
    md = run("merge", "-o", f"{WORK}/merged.sqlite", "--jsonl", f"{WORK}/merged-db.jsonl",
             *[f"{WORK}/shard{k}.sqlite" for k in (1, 2, 3)])
    check(md.returncode == 3, f"merge db exits 3 for the corrupt bundle: {md.returncode} {md.stderr}")
    check(open(f"{WORK}/merged-db.jsonl").read() == single, "JSONL of merged DB == single run")
    check(table_rows(f"{WORK}/merged.sqlite") == table_rows(f"{WORK}/all.sqlite"),
          "merged database == single-run database, every table")

    # The README's queries answer.
    queries = readme_queries()
    check(len(queries) >= 3, f"README has the example queries ({len(queries)})")
    con = sqlite3.connect(f"{WORK}/all.sqlite")
    for q in queries:
        try:
            rows = con.execute(q).fetchall()
            check(len(rows) > 0, f"query answers: {q.strip()[:60]}")
        except sqlite3.Error as e:
            check(False, f"query fails: {e}: {q.strip()[:60]}")
    failed = con.execute("SELECT count(*) FROM incidents WHERE outcome != 'succeeded'").fetchone()[0]
    check(failed > 0, "failures are in the database")
    con.close()

    # ^C: a consistent database, and a second run completes it.
    many = os.path.join(WORK, "many")
    make_bundles(many, 12)
    db = f"{WORK}/int.sqlite"
    p = subprocess.Popen([BIN, "scan", "-q", "--jobs", "1", "--db", db, many],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # Interrupt once the scan has created its database (a slow start, e.g.
    # under ASan, must not turn this into a kill before the handler exists).
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and p.poll() is None:
        try:
            c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
            ready = c.execute("SELECT count(*) FROM sqlite_master WHERE name='bundles'").fetchone()[0]
            c.close()
            if ready:
                break
        except sqlite3.Error:
            pass
        time.sleep(0.05)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate()
    check(p.returncode in (0, 130), f"^C exit {p.returncode} {err}")
    con = sqlite3.connect(db)
    check(con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity after ^C")
    bad = con.execute("SELECT count(*) FROM bundles b WHERE incidents != "
                      "(SELECT count(*) FROM incidents i WHERE i.bundle_id = b.id) OR findings != "
                      "(SELECT count(*) FROM findings f WHERE f.bundle_id = b.id)").fetchone()[0]
    check(bad == 0, "every committed bundle has all its incidents and findings")
    done = con.execute("SELECT count(*) FROM bundles").fetchone()[0]
    con.close()
    print(f"^C: exit {p.returncode}, {done} bundle(s) committed")
    full = run("scan", "-q", "--jsonl", "-", many).stdout
    resumed = run("scan", "-q", "--jobs", "2", "--jsonl", "-", "--db", db, many).stdout
    check(resumed == full, "a run after ^C gives the full result")

    # Memory: three times the bundles, about the same peak.
    small = peak_rss_kb(["scan", "-q", "--jobs", "2", "--jsonl", "/dev/null", bundles])
    large = peak_rss_kb(["scan", "-q", "--jobs", "2", "--jsonl", "/dev/null", many])
    print(f"peak RSS: {small} KiB for {n_bundles} bundles, {large} KiB for "
          f"{len(os.listdir(many))} bundles")
    # ASan keeps freed memory in quarantine, so its peak grows with the work
    # done whatever the program keeps: the bound is checked on normal builds.
    sanitized = asan_build(BIN)
    if sanitized:
        print("peak RSS bound not checked: ASan build (quarantine holds freed memory)")
    else:
        check(large < small * 1.5 + 8192, "peak memory bounded as bundles grow")

    if FAILS:
        print(f"{len(FAILS)} failure(s)", file=sys.stderr)
        return 1
    print("scan e2e: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
