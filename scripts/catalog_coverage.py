#!/usr/bin/env python3
"""How much of the live-migration message space the catalog covers.

Given upstream source trees (a nova checkout or a git dir plus a tag, and
optionally libvirt / QEMU trees), list the candidate format strings in the
migration-path files and count, per project and release, how many are in
the catalog (by id), classified, deliberately left out
(rules/catalog/excluded.yaml, with why) or missing.

Heuristic (documented in README "Message catalog"):
  nova   - Python files parsed with ast. A candidate is a string literal that
           is an argument of LOG.info/warning/error/exception/critical, of a
           translation marker (_, _LI, _LW, _LE, _LC) or of an exception
           constructor in a `raise`, inside a migration-path function of the
           files below (every function of migration.py and live_migrate.py).
           DEBUG lines are left out of the count: they are off by default and
           state progress, not causes. Exception classes raised or named in
           those files add their `msg_fmt` from nova/exception.py.
  libvirt - virReportError / virReportSystemError / virReportErrorHelper
           message literals in the libvirt files listed in LIBVIRT_FILES; a
           constant message written as (code, "%s", _("text")) counts as "text".
  qemu   - error_setg / error_setg_errno / error_report / warn_report /
           error_prepend literals in QEMU_FILES.
A format is "in the catalog" when an entry's `format` equals it (whitespace
collapsed); "excluded" when excluded.yaml lists it for that project.

  scripts/catalog_coverage.py --nova /work/.mirror/openstack+nova/repo --ref master --ref 17.0.0
  scripts/catalog_coverage.py --libvirt ~/src/libvirt --qemu ~/src/qemu --missing
"""
import argparse
import ast
import os
import re
import subprocess
import sys

import yaml  # PyYAML, in Debian as python3-yaml

NOVA_FILES = {
    # file: function-name filter (None = every function in the file)
    "nova/virt/libvirt/driver.py": re.compile(
        r"migrat|_compare_cpu|shared_storage|_check_shared|_assert_dest|disk_over|"
        r"pre_live|post_live|rollback|_create_images_and_backing|vpmem|mdev|"
        r"_check_can_live|_is_shared|_detach_direct|_cleanup_remote"),
    "nova/virt/libvirt/migration.py": None,
    "nova/virt/libvirt/guest.py": re.compile(r"migrat|job|postcopy|downtime|abort"),
    "nova/compute/manager.py": re.compile(
        r"live_migrat|_rollback_live|_post_live|pre_live|check_can_live|_do_live|"
        r"_cleanup_pre_live|_live_migration|_wait_for_vif|_remove_remote_volume"),
    "nova/conductor/tasks/live_migrate.py": None,
    # The destination's resource claim: NUMA, huge page and PCI reasons.
    "nova/compute/claims.py": None,
}
LOG_LEVELS = {"info", "warning", "warn", "error", "exception", "critical"}
MARKERS = {"_", "_LI", "_LW", "_LE", "_LC"}

LIBVIRT_FILES = [
    "src/qemu/qemu_migration.c", "src/qemu/qemu_migration_params.c",
    "src/qemu/qemu_migration_cookie.c", "src/qemu/qemu_monitor.c",
    "src/cpu/cpu_x86.c", "src/rpc/virnetsocket.c", "src/rpc/virnettlscontext.c",
]
QEMU_FILES = [
    "migration/migration.c", "migration/postcopy-ram.c", "migration/savevm.c",
    "migration/options.c", "hw/vfio/migration.c",
]
C_CALLS = {
    "libvirt": re.compile(r"\bvirReport(?:System)?Error(?:Helper)?\s*\((.*?)\);", re.S),
    "qemu": re.compile(r"\b(?:error_setg(?:_errno)?|error_report|warn_report|error_prepend)\s*\((.*?)\);",
                       re.S),
}
C_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')


def norm(s):
    return " ".join(s.split())


class NovaVisitor(ast.NodeVisitor):
    def __init__(self, func_filter):
        self.func_filter = func_filter
        self.stack = []
        self.found = []
        self.exceptions = set()
        self.names = {}

    def in_scope(self):
        if self.func_filter is None:
            return True
        return any(self.func_filter.search(f) for f in self.stack)

    def visit_FunctionDef(self, node):
        self.stack.append(node.name)
        # `msg = _("...")` then `LOG.warning(msg)` / `raise X(reason=msg)`:
        # names bound to a literal in this function count as that literal.
        saved = dict(self.names)
        for sub in ast.walk(node):
            if isinstance(sub, ast.Assign) and len(sub.targets) == 1 and \
                    isinstance(sub.targets[0], ast.Name):
                lits = list(self.literal(sub.value))
                if lits:
                    self.names[sub.targets[0].id] = lits
        self.generic_visit(node)
        self.names = saved
        self.stack.pop()

    def literal(self, node):
        """String literals a message argument stands for."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            yield from self.literal(node.left)          # "..." % {...}
        elif isinstance(node, ast.Call):
            yield from self.marker(node)                # _("...")
        elif isinstance(node, ast.Name) and node.id in self.names:
            yield from self.names[node.id]

    visit_AsyncFunctionDef = visit_FunctionDef

    def literal_args(self, call):
        # Keywords other than these name states and methods (attr=, method=), not messages.
        kw = [k.value for k in call.keywords if k.arg in ("reason", "msg", "message", "error", "err")]
        for a in list(call.args[:1]) + kw:   # the message is the first argument
            yield from self.literal(a)

    def marker(self, call):
        if isinstance(call.func, ast.Name) and call.func.id in MARKERS and call.args:
            yield from self.literal(call.args[0])

    def visit_Call(self, node):
        if self.in_scope():
            f = node.func
            if isinstance(f, ast.Attribute) and f.attr in LOG_LEVELS and \
                    isinstance(f.value, ast.Name) and f.value.id == "LOG":
                self.found.extend(self.literal_args(node))
            elif isinstance(f, ast.Name) and f.id in MARKERS:
                self.found.extend(self.marker(node))
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and \
                    f.value.id == "exception":
                self.exceptions.add(f.attr)
        self.generic_visit(node)

    def visit_ExceptHandler(self, node):
        # Exceptions a migration path catches and re-raises or logs count too.
        if self.in_scope() and node.type is not None:
            for t in ast.walk(node.type):
                if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and \
                        t.value.id == "exception":
                    self.exceptions.add(t.attr)
        self.generic_visit(node)

    def visit_Raise(self, node):
        if self.in_scope() and isinstance(node.exc, ast.Call):
            self.found.extend(s for s in self.literal_args(node.exc))
        self.generic_visit(node)


def git_show(gitdir, ref, path):
    r = subprocess.run(["git", "-C", gitdir, "show", f"{ref}:{path}"], capture_output=True, text=True)
    return r.stdout if r.returncode == 0 else None


def read_tree(root, ref, path):
    if ref:
        return git_show(root, ref, path)
    p = os.path.join(root, path)
    return open(p, encoding="utf-8", errors="replace").read() if os.path.exists(p) else None


def exception_formats(text, names):
    """msg_fmt of every class in `names` defined in nova/exception.py."""
    out = []
    tree = ast.parse(text)
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name in names:
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id == "msg_fmt" for t in stmt.targets):
                    v = stmt.value
                    if isinstance(v, ast.Call):
                        v = v.args[0] if v.args else v
                    if isinstance(v, ast.Constant) and isinstance(v.value, str):
                        out.append(v.value)
    return out


def nova_candidates(root, ref):
    found, names = [], set()
    for path, flt in NOVA_FILES.items():
        text = read_tree(root, ref, path)
        if text is None:
            continue
        v = NovaVisitor(flt)
        # Queens-era code names a parameter `async`, a keyword since Python 3.7.
        v.visit(ast.parse(re.sub(r"\basync\b(?!\s+def)", "async_", text)))
        found += [(path, s) for s in v.found]
        names |= v.exceptions
    exc = read_tree(root, ref, "nova/exception.py")
    if exc:
        found += [("nova/exception.py", s) for s in exception_formats(exc, names)]
    return dedupe(found)


def c_candidates(project, root, files):
    found = []
    for path in files:
        text = read_tree(root, None, path)
        if text is None:
            continue
        for call in C_CALLS[project].finditer(text):
            lits = C_LITERAL.findall(call.group(1))
            # libvirt writes a constant message as virReportError(code, "%s", _("text")):
            # "%s" is the format and the text its argument, so the text is the message.
            if project == "libvirt" and len(lits) > 1 and lits[0] == "%s":
                lits = lits[1:]
            if lits:
                found.append((path, bytes("".join(lits), "utf-8").decode("unicode_escape")))
    return dedupe(found)


def dedupe(found):
    seen, out = set(), []
    for path, s in found:
        key = norm(s)
        if len(key) < 8 or key in seen:  # short literals are keys and flags, not messages
            continue
        seen.add(key)
        out.append((path, key))
    return out


def load_catalog(rules_dir):
    entries, excluded = {}, {}
    base = os.path.join(rules_dir, "catalog")
    for dirpath, _, files in os.walk(base):
        for f in sorted(files):
            if not f.endswith(".yaml"):
                continue
            doc = yaml.safe_load(open(os.path.join(dirpath, f), encoding="utf-8"))
            if f == "excluded.yaml" and dirpath == base:
                for x in doc.get("excluded", []):
                    excluded.setdefault(x["project"], {})[norm(x["format"])] = x["why"]
                continue
            project = doc["layer"]
            for e in doc["entries"]:
                classified = isinstance(e["verdict"], dict)
                entries.setdefault(project, {})[norm(e["format"])] = (e["id"], classified)
    return entries, excluded


def report(project, release, cands, entries, excluded, show_missing):
    known = entries.get(project, {})
    skip = excluded.get(project, {})
    inside = [c for c in cands if c[1] in known]
    classified = [c for c in inside if known[c[1]][1]]
    left = [c for c in cands if c[1] not in known and c[1] in skip]
    missing = [c for c in cands if c[1] not in known and c[1] not in skip]
    total = len(cands)
    done = len(inside) + len(left)
    pct = 100.0 * done / total if total else 0.0
    print(f"| {project} | {release} | {total} | {len(inside)} | {len(classified)} | {len(left)} | "
          f"{len(missing)} | {pct:.1f} % |")
    if show_missing:
        for path, s in missing:
            print(f"    missing  {path}: {s}", file=sys.stderr)
    return missing


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rules", default=os.path.join(os.path.dirname(__file__), "..", "rules"))
    ap.add_argument("--nova", help="nova checkout, or a git dir when --ref is given")
    ap.add_argument("--ref", action="append", default=[], help="git ref of --nova (repeatable)")
    ap.add_argument("--libvirt", help="libvirt source tree")
    ap.add_argument("--libvirt-release", default="tree")
    ap.add_argument("--qemu", help="QEMU source tree")
    ap.add_argument("--qemu-release", default="tree")
    ap.add_argument("--missing", action="store_true", help="list missing strings on stderr")
    args = ap.parse_args()
    entries, excluded = load_catalog(args.rules)
    print("| project | release | candidates | in catalog | classified | left out (why) | missing | covered |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    missing = 0
    if args.nova:
        for ref in args.ref or [None]:
            cands = nova_candidates(args.nova, ref)
            missing += len(report("nova", ref or "tree", cands, entries, excluded, args.missing))
    if args.libvirt:
        cands = c_candidates("libvirt", args.libvirt, LIBVIRT_FILES)
        missing += len(report("libvirt", args.libvirt_release, cands, entries, excluded, args.missing))
    if args.qemu:
        cands = c_candidates("qemu", args.qemu, QEMU_FILES)
        missing += len(report("qemu", args.qemu_release, cands, entries, excluded, args.missing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
