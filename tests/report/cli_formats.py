#!/usr/bin/env python3
"""`analyze --format` lists, `-o`, and `--explain` from the command line.

    cli_formats.py --binary build/migsleuth --samples samples

  * `--format json,html,markdown,text -o DIR/report` writes report.json/.html/.md/.txt,
    each equal to the single-format output on stdout;
  * `-o DIR/one.md --format markdown` writes exactly that file;
  * several formats without -o, or an unknown format, exit 2 before any analysis;
  * `--explain` writes its reasoning to stderr and leaves stdout (JSON) unchanged.
"""
import argparse
import os
import subprocess
import sys
import tempfile


def run(binary, *args):
    env = dict(os.environ, NO_COLOR="1")
    p = subprocess.run([binary, "analyze", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--samples", required=True)
    a = ap.parse_args()
    bundle = os.path.join(a.samples, "non-convergence-timeout", "bundle")
    fails = []
    with tempfile.TemporaryDirectory() as tmp:
        code, _, err = run(a.binary, "--format", "json,html,markdown,text", "-o",
                           os.path.join(tmp, "report"), bundle)
        if code != 0:
            fails.append(f"several formats: exit {code}: {err}")
        for fmt, ext in (("json", "json"), ("html", "html"), ("markdown", "md"), ("text", "txt")):
            path = os.path.join(tmp, f"report.{ext}")
            if not os.path.exists(path):
                fails.append(f"{path} not written")
                continue
            with open(path, encoding="utf-8") as f:
                written = f.read()
            extra = ["--color", "never"] if fmt == "text" else []
            _, alone, _ = run(a.binary, "--format", fmt, *extra, bundle)
            if written != alone:
                fails.append(f"report.{ext} differs from `--format {fmt}` on stdout")
        one = os.path.join(tmp, "one.md")
        run(a.binary, "--format", "markdown", "-o", one, bundle)
        if not os.path.exists(one) or os.path.exists(one + ".md"):
            fails.append("-o FILE with one format must write FILE itself")
    code, _, err = run(a.binary, "--format", "json,html", bundle)
    if code != 2 or "-o" not in err:
        fails.append(f"several formats without -o: exit {code} (want 2), stderr {err!r}")
    code, _, err = run(a.binary, "--format", "pdf", bundle)
    if code != 2 or "pdf" not in err:
        fails.append(f"unknown format: exit {code} (want 2), stderr {err!r}")
    code, out, err = run(a.binary, "--format", "json", "--explain", bundle)
    _, plain, _ = run(a.binary, "--format", "json", bundle)
    if out != plain:
        fails.append("--explain changed stdout")
    for want in ("explain: inputs", "kind nova-compute:", "host ostk-cmp-011:", "[primary]",
                 "rules nearly fired:", "network.migration-tls-failure"):
        if want not in err:
            fails.append(f"--explain: {want!r} not in stderr")
    for f in fails:
        print(f"FAIL {f}")
    if not fails:
        print("ok: format lists, -o, --explain")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
