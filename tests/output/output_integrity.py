#!/usr/bin/env python3
"""A report that was not written is never exit 0, and migsleuth never writes its inputs.

    output_integrity.py --binary build/migsleuth --samples samples

Writes that fail (SECURITY.md "Output integrity"; exit 4 and
`error: cannot write PATH: <OS reason>`):
  * standard output on /dev/full: analyze (text, json), scan --jsonl -, the scan
    summary, merge -o -, preflight, rules list;
  * -o /dev/full (a device is written in place);
  * a full disk, made with RLIMIT_FSIZE (no privileges needed: writes past the
    limit fail with EFBIG, SIGXFSZ ignored): analyze -o (one and several formats),
    analyze > FILE, scan --jsonl FILE, scan --db, merge -o JSONL / database.
    An existing output stays byte-identical and no temporary is left behind;
  * with root and a mountable tmpfs, the same on a really full file system (ENOSPC);
  * a reader that closed the pipe (SIGPIPE ignored, so EPIPE): exit 4, no message.
Outputs that are inputs (exit 2, `migsleuth never writes its inputs`, inputs
byte-identical, nothing created):
  * analyze -o onto a bundle log, inside the bundle folder (also spelled
    bundle/../bundle), via a symlink and a hard link to a log, a multi-format BASE
    inside the bundle;
  * merge -o X X, merge -o shard2 shard1 shard2 (JSONL and databases);
  * scan --db / --jsonl inside a scanned folder.
"""
import argparse
import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile

FAILS = []
SAMPLES = ("non-convergence-timeout", "network-port-refused", "storage-not-shared",
           "retry-then-success")


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print(f"FAIL {what}")


def file_limit(nbytes):
    """preexec_fn: files written by the child cannot grow past nbytes (EFBIG)."""
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, nbytes))
    return apply


def run(binary, args, cwd=None, stdout=subprocess.PIPE, limit=None):
    env = dict(os.environ, NO_COLOR="1")
    p = subprocess.run([binary, *args], stdout=stdout, stderr=subprocess.PIPE, cwd=cwd, env=env,
                       timeout=300, preexec_fn=file_limit(limit) if limit else None)
    return p.returncode, p.stderr.decode("utf-8", "replace")


def digest_tree(root):
    """{relative path: sha256} of every file under root (or of root itself)."""
    if os.path.isfile(root):
        return {"": hashlib.sha256(open(root, "rb").read()).hexdigest()}
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            out[os.path.relpath(p, root)] = hashlib.sha256(open(p, "rb").read()).hexdigest()
    return out


def write_failed(code, err, path, label):
    check(code == 4, f"{label}: exit {code}, want 4 (stderr {err.strip()!r})")
    check(f"error: cannot write {path}: " in err, f"{label}: no 'cannot write {path}: reason' "
          f"in {err.strip()!r}")


def refused(code, err, label):
    check(code == 2, f"{label}: exit {code}, want 2 (stderr {err.strip()!r})")
    check("migsleuth never writes its inputs" in err, f"{label}: no refusal in {err.strip()!r}")


def stdout_to_dev_full(binary, work):
    cases = [
        (["analyze", "-f", "text", "bundle"], "analyze text"),
        (["analyze", "-f", "json", "bundle"], "analyze json"),
        (["scan", "--jsonl", "-", "cases"], "scan --jsonl -"),
        (["scan", "cases"], "scan summary"),
        (["merge", "-o", "-", "s1.jsonl", "s2.jsonl"], "merge -o -"),
        (["preflight", "-f", "json", "bundle"], "preflight"),
        (["rules", "list"], "rules list"),
    ]
    for args, label in cases:
        with open("/dev/full", "wb") as full:
            code, err = run(binary, args, cwd=work, stdout=full)
        write_failed(code, err, "standard output", f"{label} > /dev/full")
    code, err = run(binary, ["analyze", "-o", "/dev/full", "bundle"], cwd=work)
    write_failed(code, err, "/dev/full", "analyze -o /dev/full")
    check("No space left on device" in err, f"-o /dev/full: the OS reason missing: {err!r}")


def closed_pipe(binary, work):
    """SIGPIPE ignored (as some parents leave it): EPIPE is exit 4 but no message."""
    p = subprocess.Popen([binary, "analyze", "-f", "json", "bundle"], cwd=work,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         preexec_fn=lambda: signal.signal(signal.SIGPIPE, signal.SIG_IGN))
    p.stdout.close()  # before the analysis is done: its first write meets EPIPE
    err = p.stderr.read().decode()
    p.wait(timeout=120)
    check(p.returncode == 4, f"closed pipe: exit {p.returncode}, want 4")
    check("error" not in err, f"closed pipe: a reader that left is not an error: {err!r}")


def leftovers(folder, before):
    return sorted(set(os.listdir(folder)) - set(before))


def full_disk(binary, work, limit, where, reason):
    """Every file output on a disk that fills up: exit 4, old outputs intact, no temporary."""
    out = os.path.join(work, where)
    os.makedirs(out, exist_ok=True)
    previous = {"r.json": b"previous report\n", "r.txt": b"previous text\n",
                "x.jsonl": b'{"previous": 1}\n', "m.jsonl": b'{"previous": 2}\n'}
    for name, body in previous.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(body)
    shutil.copy(os.path.join(work, "m.sqlite"), os.path.join(out, "m.sqlite"))
    names = sorted(os.listdir(out))
    kept = {n: digest_tree(os.path.join(out, n)) for n in names}
    p = lambda n: os.path.join(where, n)  # noqa: E731 (relative to work, as typed)
    cases = [
        (["analyze", "-f", "json", "-o", p("r.json"), "bundle"], p("r.json"), "analyze -o existing"),
        (["analyze", "-f", "json,text", "-o", p("r"), "bundle"], None, "analyze -o BASE, 2 formats"),
        (["analyze", "-f", "json", "-o", p("new.json"), "bundle"], p("new.json"), "analyze -o new"),
        (["scan", "-q", "--jsonl", p("x.jsonl"), "cases"], p("x.jsonl"), "scan --jsonl FILE"),
        (["scan", "-q", "--db", p("new.sqlite"), "cases"], p("new.sqlite"), "scan --db"),
        (["merge", "-q", "-o", p("m.jsonl"), "s1.jsonl", "s2.jsonl"], p("m.jsonl"), "merge -o JSONL"),
        (["merge", "-q", "-o", p("m.sqlite"), "s1.sqlite", "s2.sqlite"], p("m.sqlite"),
         "merge -o database"),
    ]
    for args, path, label in cases:
        code, err = run(binary, args, cwd=work, limit=limit)
        label = f"{label} ({reason})"
        if path is None:
            check(code == 4 and "error: cannot write " + p("r.") in err,
                  f"{label}: exit {code}, stderr {err.strip()!r}")
        else:
            write_failed(code, err, path, label)
        check(reason in err or "SQLite" in err, f"{label}: OS reason {reason!r} not in {err!r}")
        # scan --db updates its database in place (it is what resumes): that one
        # may exist, holding the bundles committed before the disk filled.
        extra = [n for n in leftovers(out, names) if not n.startswith("new.sqlite")]
        check(not extra, f"{label}: left behind {extra}")
        for n in names:
            check(digest_tree(os.path.join(out, n)) == kept[n], f"{label}: existing {n} changed")
    # `> FILE` on a full disk: the shell made the file; what is in it is cut,
    # and the exit code says so.
    with open(os.path.join(out, "stdout.json"), "wb") as f:
        code, err = run(binary, ["analyze", "-f", "json", "bundle"], cwd=work, stdout=f,
                        limit=limit)
    write_failed(code, err, "standard output", f"analyze > FILE ({reason})")


def tmpfs_full_disk(binary, work):
    """A real full file system: only as root where a tmpfs can be mounted."""
    mnt = os.path.join(work, "tiny")
    os.makedirs(mnt)
    if os.geteuid() != 0:
        print("skip: full tmpfs (needs root); the RLIMIT_FSIZE cases cover the same paths")
        return
    # Room for the outputs that exist beforehand (a merged database, a few
    # small files) and 48 KiB more: every report here is larger than that.
    size_k = (os.path.getsize(os.path.join(work, "m.sqlite")) + 4095) // 4096 * 4 + 48
    m = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_k}k", "tmpfs", mnt],
                       capture_output=True, text=True)
    if m.returncode != 0:
        print(f"skip: full tmpfs (mount failed: {m.stderr.strip()}); RLIMIT_FSIZE cases ran")
        return
    try:
        full_disk(binary, work, None, "tiny", "No space left on device")
    finally:
        subprocess.run(["umount", mnt], check=False)


def inputs_never_outputs(binary, work):
    bundle = os.path.join(work, "bundle")
    log = os.path.join("bundle", "ostk-cmp-011", "var", "log", "nova", "nova-compute.log")
    os.symlink(os.path.abspath(os.path.join(work, log)), os.path.join(work, "link.log"))
    os.link(os.path.join(work, log), os.path.join(work, "hard.log"))
    before = {d: digest_tree(os.path.join(work, d)) for d in ("bundle", "cases")}
    shards = {n: digest_tree(os.path.join(work, n)) for n in
              ("s1.jsonl", "s2.jsonl", "s1.sqlite", "s2.sqlite")}
    cases = [
        (["analyze", "-o", log, "bundle"], "analyze -o a bundle log"),
        (["analyze", "-f", "json", "-o", "bundle/report.json", "bundle"], "analyze -o inside bundle"),
        (["analyze", "-o", "bundle/../bundle/r.json", "bundle"], "analyze -o bundle/../bundle/r.json"),
        (["analyze", "-o", os.path.join(bundle, "ostk-cmp-014", "r.txt"), "bundle"],
         "analyze -o absolute path in a host folder"),
        (["analyze", "-o", "link.log", "bundle"], "analyze -o symlink to a log"),
        (["analyze", "-o", "hard.log", "bundle"], "analyze -o hard link to a log"),
        (["analyze", "-o", "hard.log", log], "analyze -o hard link to the input file"),
        (["analyze", "-f", "json,html", "-o", "bundle/ostk-cmp-011/rep", "bundle"],
         "analyze -o BASE inside bundle (BASE.json, BASE.html)"),
        (["merge", "-o", "s1.jsonl", "s1.jsonl"], "merge -o X X"),
        (["merge", "-o", "s2.jsonl", "s1.jsonl", "s2.jsonl"], "merge -o shard2 shard1 shard2"),
        (["merge", "-o", "s2.sqlite", "s1.sqlite", "s2.sqlite"], "merge databases -o shard2"),
        (["merge", "-o", "m2.sqlite", "--jsonl", "s2.sqlite", "s1.sqlite", "s2.sqlite"],
         "merge --jsonl onto an input"),
        (["scan", "--db", "cases/scan.sqlite", "cases"], "scan --db inside a scanned folder"),
        (["scan", "--jsonl", "cases/storage-not-shared/out.jsonl", "cases"],
         "scan --jsonl inside a bundle"),
        (["preflight", "-o", "bundle/pre.txt", "bundle"], "preflight -o inside its input"),
    ]
    for args, label in cases:
        code, err = run(binary, args, cwd=work)
        refused(code, err, label)
    for d, digests in before.items():
        check(digest_tree(os.path.join(work, d)) == digests, f"{d}: an input was changed or added to")
    for n, digests in shards.items():
        check(digest_tree(os.path.join(work, n)) == digests, f"{n}: merge input changed")
    check(not os.path.exists(os.path.join(work, "m2.sqlite")), "refused merge created its output")
    # The same commands with outputs elsewhere still work (the guard is not a wall).
    code, err = run(binary, ["analyze", "-f", "json", "-o", "ok.json", "bundle"], cwd=work)
    check(code == 0 and os.path.getsize(os.path.join(work, "ok.json")) > 0, f"analyze -o ok: {err}")
    code, err = run(binary, ["merge", "-q", "-o", "ok.jsonl", "s1.jsonl", "s2.jsonl"], cwd=work)
    check(code == 0, f"merge -o ok.jsonl: exit {code} {err}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--samples", required=True)
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    with tempfile.TemporaryDirectory() as work:
        shutil.copytree(os.path.join(a.samples, "non-convergence-timeout", "bundle"),
                        os.path.join(work, "bundle"))
        for s in SAMPLES:
            shutil.copytree(os.path.join(a.samples, s, "bundle"), os.path.join(work, "cases", s))
        for k in (1, 2):
            code, err = run(binary, ["scan", "-q", "--shard", f"{k}/2", "--jsonl", f"s{k}.jsonl",
                                     "--db", f"s{k}.sqlite", "cases"], cwd=work)
            check(code == 0, f"setup: scan shard {k}: exit {code} {err}")
        code, err = run(binary, ["merge", "-q", "-o", "m.sqlite", "s1.sqlite", "s2.sqlite"], cwd=work)
        check(code == 0, f"setup: merge databases: exit {code} {err}")

        stdout_to_dev_full(binary, work)
        closed_pipe(binary, work)
        full_disk(binary, work, 8192, "capped", "File too large")
        tmpfs_full_disk(binary, work)
        inputs_never_outputs(binary, work)
    if FAILS:
        print(f"{len(FAILS)} failure(s)")
        return 1
    print("ok: failed writes exit 4 and leave outputs intact; outputs that are inputs refused")
    return 0


if __name__ == "__main__":
    sys.exit(main())
