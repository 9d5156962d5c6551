#!/usr/bin/env python3
"""The man page and the shell completions cover the whole CLI.

Walks `migsleuth --help`, then `migsleuth CMD [SUB] --help` for every
subcommand it lists (CLI11 help format), and checks that every subcommand,
every option name (-f and --format) and every allowed option value
({auto,text,json}) appears in doc/migsleuth.1, completions/migsleuth.bash and
completions/_migsleuth. Extra entries there are fine; missing ones fail with a
list of what to add.
"""
import argparse
import re
import subprocess
import sys


def help_text(binary, path):
    run = subprocess.run([binary, *path, "--help"], capture_output=True, text=True, timeout=30)
    if run.returncode != 0:
        sys.exit(f"`{' '.join([binary, *path, '--help'])}` exited {run.returncode}: {run.stderr}")
    return run.stdout


def parse_help(text):
    """(subcommands, {option name: [allowed values]}) from one CLI11 help page."""
    subs, opts = [], {}
    section = None
    for line in text.splitlines():
        if re.match(r"^\S.*:\s*$", line):            # "Options:", "Subcommands:", "[Option Group: x]:"
            section = "subs" if line.startswith("Subcommands") else "other"
            continue
        m = re.match(r"^  (\S+)", line)
        if not m:
            continue
        if section == "subs":
            # "analyze, analyse": a subcommand and its aliases; the name is the first.
            subs.append(m.group(1).rstrip(","))
            continue
        spec = m.group(1)
        if not spec.startswith("-"):                   # a positional
            continue
        rest = line.strip()[len(spec):]
        values = []
        v = re.match(r"\s+\S*?:\{([^}]*)\}", rest)     # TEXT:{auto,text,json}
        if v:
            values = [x.strip() for x in v.group(1).split(",") if x.strip()]
        for name in spec.split(","):
            name = name.split("=")[0]
            if name.startswith("-"):
                opts[name] = values
    return subs, opts


def walk(binary):
    """{command path tuple: (subcommands, options)} for the whole tree."""
    tree, todo = {}, [()]
    while todo:
        path = todo.pop()
        subs, opts = parse_help(help_text(binary, list(path)))
        tree[path] = (subs, opts)
        todo.extend(path + (s,) for s in subs)
    return tree


def roff_text(path):
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"\\f[BIRP]|\\f\(..|\\&|\\c", "", text)
    return text.replace("\\-", "-").replace("\\(em", "-")


def has_token(text, token):
    return re.search(r"(?<![\w-])" + re.escape(token) + r"(?![\w-])", text) is not None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--man", required=True)
    ap.add_argument("--bash", required=True)
    ap.add_argument("--zsh", required=True)
    args = ap.parse_args()

    tree = walk(args.binary)
    docs = {
        args.man: roff_text(args.man),
        args.bash: open(args.bash, encoding="utf-8").read(),
        args.zsh: open(args.zsh, encoding="utf-8").read(),
    }
    missing = {name: [] for name in docs}
    count = 0
    for path, (subs, opts) in sorted(tree.items()):
        where = "migsleuth " + " ".join(path) if path else "migsleuth"
        for s in subs:
            count += 1
            for name, text in docs.items():
                if not has_token(text, s):
                    missing[name].append(f"subcommand `{s}` of `{where}`")
        for opt, values in opts.items():
            count += 1
            # zsh specs spell short options with a value as `-f+` and long ones as `--format=`.
            for name, text in docs.items():
                if not has_token(text, opt):
                    missing[name].append(f"option `{opt}` of `{where}`")
            for val in values:
                count += 1
                for name, text in docs.items():
                    if not has_token(text, val):
                        missing[name].append(f"value `{val}` of `{where} {opt}`")
    bad = False
    for name, items in missing.items():
        if items:
            bad = True
            print(f"{name} lacks {len(items)} item(s) that `--help` shows:")
            for it in items:
                print(f"  - {it}")
    if bad:
        print("Document them there (see HACKING.md, 'Man page and completions').")
        return 1
    print(f"ok: {len(tree)} help pages, {count} subcommands/options/values, all documented")
    return 0


if __name__ == "__main__":
    sys.exit(main())
