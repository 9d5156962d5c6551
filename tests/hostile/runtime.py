#!/usr/bin/env python3
"""Runtime bounds under hostile input (issue 23), each found by an attack run:

- memory: 1024 `Live Migration failure:` lines of 1 MiB about one migrating
  instance (a ~45 KB zstd file) took 4.2 GB and gave a 1 GiB report; under a
  2 GiB address-space limit the run aborted (std::terminate) with no report.
- out of memory: a run that does not fit says so and exits 5, no abort.
- scan stop: SIGTERM used to wait for the bundle in flight (minutes for a
  slow one); it must stop within seconds, with exit 130, whole bundles only
  in the database and well-formed JSONL, and a rerun that completes.
- option values: --max-line 0/1, --max-decompressed 0 were accepted;
  scan -j 50000 aborted creating threads.
- wrong attachment: a nova line with `[instance: foo]` on the same host, pid
  and millisecond as another attempt's line changed that attempt's cause.
- bidirectional controls: U+202E passed into every report format.

Inputs are generated here (zstd is installed), never committed. Memory and
time bounds are checked on normal builds only (ASan keeps freed memory and
reserves terabytes of address space).

    runtime.py --binary build/migsleuth --samples samples
"""
import argparse
import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from sanitizer_build import asan_build  # noqa: E402

FAILS = []
SAMPLE = "network-port-refused"
INSTANCE = "bd8a3212-8687-4525-a8f2-f40322c72d5f"
REQ = "req-df2a6839-f71d-4800-bc52-d420bc938602"
GIB = 1 << 30


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what)
    return cond


def limit_as(nbytes):
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (nbytes, nbytes))


def run_polled(args, limit=None, timeout=600):
    """Runs args; returns (returncode, stderr bytes, seconds, peak RSS KiB, peak VM bytes),
    the peaks read from /proc while it runs."""
    with tempfile.TemporaryFile() as err:
        t0 = time.monotonic()
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=err,
                             preexec_fn=limit_as(limit) if limit else None)
        rss = vm = 0
        while p.poll() is None:
            try:
                for line in open(f"/proc/{p.pid}/status"):
                    if line.startswith("VmHWM:"):
                        rss = max(rss, int(line.split()[1]))
                    elif line.startswith("VmPeak:"):
                        vm = max(vm, int(line.split()[1]) * 1024)
            except (OSError, ValueError, IndexError):
                pass
            if time.monotonic() - t0 > timeout:
                p.kill()
            time.sleep(0.005)
        seconds = time.monotonic() - t0
        err.seek(0)
        return p.returncode, err.read(), seconds, rss, vm


def copy_sample(samples, dest):
    shutil.copytree(os.path.join(samples, SAMPLE, "bundle"), dest)
    return os.path.join(dest, "cmp-a", "var", "log", "nova", "nova-compute.log")


def zstd(data_chunks, path):
    with open(path, "wb") as out:
        p = subprocess.Popen(["zstd", "-q", "-c", "-3"], stdin=subprocess.PIPE, stdout=out)
        for c in data_chunks:
            p.stdin.write(c)
        p.stdin.close()
        check(p.wait() == 0, "zstd failed")


def long_failure_lines(n, size):
    head = (b"2024-05-21 14:02:12.470 3012 ERROR nova.virt.libvirt.driver [" + REQ.encode() +
            b" - - - - -] [instance: " + INSTANCE.encode() +
            b"] Live Migration failure: operation failed: ")
    pad = b"A" * (size - len(head))
    for _ in range(n):
        yield head + pad + b"\n"


def test_memory(binary, samples, work, asan):
    bundle = os.path.join(work, "memory")
    log = copy_sample(samples, bundle)
    original = open(log, "rb").read()
    os.remove(log)
    # Under ASan (several times slower) a quarter of the lines: there only
    # "no crash, the cause found" is checked.
    n = 256 if asan else 1024
    zstd([original] + list(long_failure_lines(n, 1 << 20)), log + ".zst")
    out = os.path.join(work, "memory.json")
    rc, err, seconds, peak, _ = run_polled([binary, "analyze", "-f", "json", "-o", out, bundle],
                                           limit=None if asan else 2 * GIB)
    err = err.decode(errors="replace")
    if not check(rc == 0, f"memory: exit {rc} under a 2 GiB address-space limit: {err[-500:]}"):
        return
    size = os.path.getsize(out)
    report = json.load(open(out, encoding="utf-8"))
    print(f"memory: {n} x 1 MiB lines: {seconds:.1f} s, peak RSS {peak // 1024} MiB, "
          f"report {size / 1e6:.1f} MB")
    inc = [i for i in report["incidents"] if i["instance_uuid"] == INSTANCE]
    check(inc and inc[0]["cause"] == "network.migration-port-refused",
          "memory: the real cause is still found among the long lines")
    zst = [i for i in report["inputs"] if i["path"].endswith(".zst")]
    check(zst and any(f"{n} line(s) kept only to their first 8192 bytes" in w
                      for w in zst[0]["warnings"]), "memory: a warning counts the cut lines")
    cut = [t for i in inc for t in i["timeline"] if "[line cut: 1048576 bytes]" in t["text"]]
    check(len(cut) == n, f"memory: {n} timeline lines say they were cut, got {len(cut)}")
    check(all(len(t["text"].encode()) <= 8192 for i in inc for t in i["timeline"]),
          "memory: no kept line text over 8 KiB")
    check(size < 16e6, f"memory: report of {size} bytes (a few MB expected)")
    if not asan:
        check(peak < 300 * 1024, f"memory: peak RSS {peak} KiB, over 300 MiB")


def test_out_of_memory(binary, work, asan):
    """One 200 MiB line with --max-line 256 MiB under an address-space limit
    a little above what a run needs: the line buffer cannot grow."""
    if asan:
        print("out of memory: not checked under ASan (it reserves the address space)")
        return
    bundle = os.path.join(work, "oom", "cmp-a", "var", "log", "nova")
    os.makedirs(bundle)
    head = (b"2024-05-21 14:02:12.470 3012 ERROR nova.virt.libvirt.driver [" + REQ.encode() +
            b" - - - - -] [instance: " + INSTANCE.encode() + b"] Live Migration failure: ")
    zstd([head, b"B" * (200 << 20), b"\n"], os.path.join(bundle, "nova-compute.log.zst"))
    root = os.path.join(work, "oom")
    # What a small run needs here (threads, rules, one chunk), plus 64 MiB.
    need = run_polled([binary, "analyze", "-j", "1", "-f", "json", "--max-line", "1024", root])[4]
    limit = need + (64 << 20)
    p = subprocess.run([binary, "analyze", "-j", "1", "-f", "json", "--max-line", str(256 << 20),
                        root], capture_output=True, timeout=300, preexec_fn=limit_as(limit))
    err = p.stderr.decode(errors="replace")
    print(f"out of memory: VmPeak {need >> 20} MiB, limit {limit >> 20} MiB: exit {p.returncode}")
    check(p.returncode == 5, f"out of memory: exit {p.returncode}, expected 5: {err[-300:]}")
    check("error: out of memory while analyzing" in err, f"out of memory: message: {err[-300:]}")
    check(b"terminate called" not in p.stderr, "out of memory: std::terminate")


def make_scan_bundles(samples, root, fast):
    for k in range(fast):
        copy_sample(samples, os.path.join(root, f"case-{k:02}"))
    # A slow bundle: 64 concatenated zstd frames of 64 MiB of DEBUG lines
    # (4 GiB to read, a few MB on disk). It sorts last but one.
    slow = os.path.join(root, "case-50-slow", "cmp-a", "var", "log", "nova")
    os.makedirs(slow)
    line = (b"2024-05-21 14:00:00.000 3012 DEBUG oslo_service.periodic_task [req-3b0cb860-5c4d-"
            b"4825-bbcb-1394e17dd560 - - - - -] Running periodic task ComputeManager._poll x\n")
    block = line * ((64 << 20) // len(line))
    frame = subprocess.run(["zstd", "-q", "-c", "-1"], input=block, capture_output=True,
                           check=True).stdout
    with open(os.path.join(slow, "nova-compute.log.zst"), "wb") as f:
        for _ in range(64):
            f.write(frame)
    copy_sample(samples, os.path.join(root, "case-99"))


def test_scan_stop(binary, samples, work, asan):
    root = os.path.join(work, "scan")
    make_scan_bundles(samples, root, 4)
    db = os.path.join(work, "stop.sqlite")
    jsonl = os.path.join(work, "stop.jsonl")
    p = subprocess.Popen([binary, "scan", "-q", "--jobs", "2", "--db", db, "--jsonl", jsonl, root],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # Stop once the fast bundles before the slow one are committed: the slow
    # one is then in flight.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and p.poll() is None:
        try:
            c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
            n = c.execute("SELECT count(*) FROM bundles").fetchone()[0]
            c.close()
            if n >= 4:
                break
        except sqlite3.Error:
            pass
        time.sleep(0.05)
    check(p.poll() is None, "scan stop: the scan ended before the slow bundle was in flight")
    time.sleep(0.5)
    t0 = time.monotonic()
    p.send_signal(signal.SIGTERM)
    try:
        _, err = p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        _, err = p.communicate()
    stopped_in = time.monotonic() - t0
    print(f"scan stop: SIGTERM with a 4 GiB bundle in flight: exit {p.returncode} "
          f"in {stopped_in:.2f} s")
    check(p.returncode == 130, f"scan stop: exit {p.returncode}, expected 130: {err[-300:]}")
    check(stopped_in < (30 if asan else 5), f"scan stop: took {stopped_in:.1f} s after SIGTERM")
    con = sqlite3.connect(db)
    check(con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "scan stop: integrity")
    paths = [r[0] for r in con.execute("SELECT path FROM bundles ORDER BY path")]
    check(not any("slow" in x or "case-99" in x for x in paths),
          f"scan stop: the interrupted bundle or one after it was written: {paths}")
    bad = con.execute("SELECT count(*) FROM bundles b WHERE incidents != "
                      "(SELECT count(*) FROM incidents i WHERE i.bundle_id = b.id)").fetchone()[0]
    check(bad == 0, "scan stop: every committed bundle has all its incidents")
    con.close()
    with open(jsonl, encoding="utf-8") as f:
        lines = f.read().split("\n")
    check(lines[-1] == "", "scan stop: the JSONL ends with a whole line")
    for ln in lines[:-1]:
        json.loads(ln)
    # The rerun resumes and completes (without the slow bundle, to stay quick).
    shutil.rmtree(os.path.join(root, "case-50-slow"))
    r = subprocess.run([binary, "scan", "-q", "--db", db, "--jsonl", "-", root],
                       capture_output=True, timeout=300)
    full = subprocess.run([binary, "scan", "-q", "--jsonl", "-", root], capture_output=True,
                          timeout=300)
    check(r.returncode == 0 and r.stdout == full.stdout, "scan stop: a rerun completes the scan")


def test_option_values(binary, samples, work):
    bundle = os.path.join(samples, SAMPLE, "bundle")
    for args, what in ((["--max-line", "0"], "1024"), (["--max-line", "1"], "1024"),
                       (["--max-line", "1023"], "1024"), (["--max-decompressed", "0"], "1048576"),
                       (["--max-line", str(1 << 40)], "268435456")):
        p = subprocess.run([binary, "analyze", *args, bundle], capture_output=True, text=True)
        check(p.returncode == 2, f"options: {args} exit {p.returncode}, expected 2")
        check("out of range" in p.stderr and what in p.stderr,
              f"options: {args} must name the range: {p.stderr.strip()[:200]}")
    p = subprocess.run([binary, "analyze", "--max-line", "1024", "-f", "json", bundle],
                       capture_output=True, text=True)
    check(p.returncode == 0, "options: --max-line 1024 is accepted")
    p = subprocess.run([binary, "analyze", "-j", "50000", "-f", "json", bundle],
                       capture_output=True, text=True, timeout=120)
    check(p.returncode == 0 and "clamped" in p.stderr,
          f"options: analyze -j 50000: exit {p.returncode}, {p.stderr[-200:]}")
    few = os.path.join(work, "few")
    for k in range(3):
        copy_sample(samples, os.path.join(few, f"case-{k}"))
    p = subprocess.run([binary, "scan", "-q", "-j", "50000", "--jsonl", "-", few],
                       capture_output=True, text=True, timeout=300)
    check(p.returncode == 0 and "clamped" in p.stderr and b"terminate" not in p.stderr.encode(),
          f"options: scan -j 50000: exit {p.returncode}, {p.stderr[-200:]}")
    p = subprocess.run([binary, "analyze", "-j", "0", "-f", "json", bundle], capture_output=True,
                       text=True)
    check(p.returncode == 0, "options: -j 0 means one per core")


def test_wrong_attachment(binary, samples, work):
    bundle = os.path.join(work, "attach")
    log = copy_sample(samples, bundle)
    lines = open(log, encoding="utf-8").read().split("\n")
    out = []
    for ln in lines:
        out.append(ln)
        if "Live Migration failure" in ln:
            # Same host, pid, millisecond and logger; no context bracket; an
            # instance field that is no UUID; a message another rule reads.
            out.append("2024-05-21 14:02:12.463 3012 ERROR nova.virt.libvirt.driver "
                       "[instance: foo] Live Migration failure: operation failed: guest CPU "
                       "doesn't match specification: missing features: avx512f")
            out.append("2024-05-21 14:02:12.463 3012 ERROR nova.virt.libvirt.driver [" + REQ +
                       " - - - - -] [instance: 12345] Live Migration failure: internal error: "
                       "unable to execute QEMU command 'migrate': Migration disabled: vhost-user "
                       "backend lacks VHOST_USER_PROTOCOL_F_LOG_SHMFD feature.")
    open(log, "w", encoding="utf-8").write("\n".join(out))
    p = subprocess.run([binary, "analyze", "-f", "json", bundle], capture_output=True, timeout=120)
    report = json.loads(p.stdout)
    inc = [i for i in report["incidents"] if i["instance_uuid"] == INSTANCE]
    check(len(inc) == 1 and inc[0]["cause"] == "network.migration-port-refused",
          f"attachment: cause became {[i['cause'] for i in inc]}")
    texts = [t["text"] for i in inc for t in i["timeline"]] + \
            [e["text"] for i in inc for e in i["evidence"]]
    check(not any("[instance: foo]" in t or "[instance: 12345]" in t for t in texts),
          "attachment: a line naming another (non-UUID) instance is in this attempt")


def test_bidi(binary, samples, work):
    bundle = os.path.join(work, "bidi")
    log = copy_sample(samples, bundle)
    text = open(log, encoding="utf-8").read()
    text = text.replace("Connection refused\n", "Connection refused \u202eexe.evil\u2066x\u200f\n", 1)
    open(log, "w", encoding="utf-8").write(text)
    base = os.path.join(work, "bidi-out", "report")
    os.makedirs(os.path.dirname(base))
    p = subprocess.run([binary, "analyze", "-f", "json,text,markdown,html", "-o", base, bundle],
                       capture_output=True, timeout=120)
    check(p.returncode == 0, f"bidi: exit {p.returncode}")
    for ext in ("json", "txt", "md", "html"):
        data = open(f"{base}.{ext}", "rb").read()
        for cp in ("\u202e", "\u2066", "\u200f"):
            check(cp.encode() not in data, f"bidi: raw U+{ord(cp):04X} in the {ext} report")
        check(b"\\u202e" in data, f"bidi: the {ext} report does not show \\u202e")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--samples", required=True)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    asan = asan_build(args.binary)
    work = tempfile.mkdtemp(prefix="migsleuth-runtime-")
    tests = {
        "bidi": lambda: test_bidi(args.binary, args.samples, work),
        "attach": lambda: test_wrong_attachment(args.binary, args.samples, work),
        "stop": lambda: test_scan_stop(args.binary, args.samples, work, asan),
        "options": lambda: test_option_values(args.binary, args.samples, work),
        "memory": lambda: test_memory(args.binary, args.samples, work, asan),
        "oom": lambda: test_out_of_memory(args.binary, work, asan),
    }
    try:
        for name, fn in tests.items():
            if args.only and name not in args.only.split(","):
                continue
            try:
                fn()
            except Exception as e:  # a crash of one part must not hide the others
                check(False, f"{name}: {type(e).__name__}: {e}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if FAILS:
        print(f"{len(FAILS)} failure(s)")
        return 1
    print("runtime: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
