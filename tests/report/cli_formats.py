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
import json
import os
import subprocess
import sys
import tempfile


def run(binary, *args, stdin=subprocess.DEVNULL):
    env = dict(os.environ, NO_COLOR="1")
    p = subprocess.run([binary, "analyze", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       stdin=stdin, env=env, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def check_stdin(binary, samples, fails):
    """`analyze -` reads a piped log as one input named '-' with no host."""
    log = os.path.join(samples, "non-convergence-timeout", "bundle", "ostk-cmp-011", "var", "log",
                       "nova", "nova-compute.log")
    with open(log, "rb") as piped:
        code, out, err = run(binary, "--format", "json", "-", stdin=piped)
    _, as_file, _ = run(binary, "--format", "json", log)
    if code != 0:
        fails.append(f"analyze -: exit {code}: {err}")
        return
    got, want = json.loads(out), json.loads(as_file)
    if [i["path"] for i in got["inputs"]] != ["-"] or got["inputs"][0].get("host"):
        fails.append(f"analyze -: inputs {got['inputs']!r} (want one '-' with no host)")
    if [(i["instance_uuid"], i["outcome"], i["classification"]) for i in got["incidents"]] != \
            [(i["instance_uuid"], i["outcome"], i["classification"]) for i in want["incidents"]]:
        fails.append("analyze -: other incidents than the same file given by path")
    code, _, err = run(binary, "-", "-")
    if code != 2 or "once" not in err:
        fails.append(f"analyze - -: exit {code} (want 2), stderr {err!r}")


def check_habits(binary, bundle, fails):
    """What operators type: -o -, -o FILE.json, analyse, --since without seconds, typos."""
    with tempfile.TemporaryDirectory() as tmp:
        code, out, err = subprocess.run(
            [binary, "analyze", "--format", "json", "-o", "-", bundle], cwd=tmp,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120).returncode, "", ""
        if code != 0 or os.path.exists(os.path.join(tmp, "-")):
            fails.append(f"-o -: exit {code}, or a file named '-' was written")
        target = os.path.join(tmp, "r.json")
        run(binary, "-o", target, bundle)
        with open(target, encoding="utf-8") as f:
            if not f.read().startswith("{"):
                fails.append("-o r.json without --format did not write JSON")
    code, out, _ = run(binary.replace("analyze", "analyze"), "--format", "json", bundle)
    p = subprocess.run([binary, "analyse", "--format", "json", bundle], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=120)
    if p.returncode != 0 or p.stdout.decode() != out:
        fails.append(f"analyse (alias): exit {p.returncode}, or output differs from analyze")
    code, _, err = run(binary, "--since", "2024-05-21 22:00", bundle)
    if code != 0:
        fails.append(f"--since without seconds: exit {code}: {err}")
    code, _, err = run(binary, "--tz", "nosuchhost=+01:00", "--instance", "nosuch", bundle)
    if "nosuchhost" not in err or "--instance nosuch" not in err:
        fails.append(f"--tz/--instance matching nothing: no warning in {err!r}")


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
    check_stdin(a.binary, a.samples, fails)
    check_habits(a.binary, bundle, fails)
    for f in fails:
        print(f"FAIL {f}")
    if not fails:
        print("ok: format lists, -o, --explain")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
