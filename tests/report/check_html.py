#!/usr/bin/env python3
"""Structure test of the HTML report (a golden would break on every CSS tweak).

    check_html.py --binary build/migsleuth --samples samples

For every samples/<scenario>/bundle: `analyze --format html` must give a page that
  * is well formed (every non-void element closed, in order),
  * is self-contained: no <script>, no <link>, <img>, <iframe>, no src=/href= to http(s),
  * has a timeline with the source and destination lanes for every incident with a time,
  * has a convergence plot for samples/non-convergence-timeout,
  * is byte-identical on a second run,
  * says what the confirm commands are written for (the deployment and why), as the text
    report does: the same "commands written for ..." lines, in the same order (issue 19);
    the OpenStack-Helm sample's say Kubernetes pods.
Then a copy of samples/network-port-refused with `<script>` in its failing log line must
show that line as text.

Exit status: 0 passed, 1 failed. Python 3 stdlib only.
"""
import argparse
import glob
import html
import html.parser
import os
import re
import shutil
import subprocess
import sys
import tempfile

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr",
        # SVG elements we write self-closed
        "line", "rect", "circle", "path", "polyline"}
FORBIDDEN_TAGS = {"script", "link", "img", "iframe", "object", "embed"}


class Checker(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.problems, self.lanes, self.svgs = [], [], [], []
        self._in_lane_label = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}> element")
        for name in ("src", "href"):
            if name in a and re.match(r"\s*(https?:|//)", a[name] or "", re.I):
                self.problems.append(f"{name}={a[name]!r} fetches from the network")
        if tag == "svg":
            self.svgs.append(a.get("class", ""))
        self._in_lane_label = tag == "text" and a.get("class") == "lrole"
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> does not close <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()

    def handle_data(self, data):
        if self._in_lane_label:
            self.lanes.append(data)
            self._in_lane_label = False


def render(binary, bundle, cwd):
    proc = subprocess.run([binary, "analyze", "--format", "html", bundle], cwd=cwd,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return proc.returncode, proc.stdout.decode("utf-8", "replace")


def written_for(binary, bundle, cwd, page):
    """Problems when the page's "Commands written for" lines differ from the text report's."""
    proc = subprocess.run([binary, "analyze", "--format", "text", "--color", "never", bundle],
                          cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    text = re.findall(r"^  commands written for (.*)$", proc.stdout.decode("utf-8", "replace"),
                      re.M)
    shown = [html.unescape(m) for m in
             re.findall(r'<p class="written-for">Commands written for (.*?)</p>', page)]
    if shown != text:
        return [f"'Commands written for' lines {shown} differ from the text report's {text}"]
    return []


def check_page(name, page):
    problems = []
    c = Checker()
    c.feed(page)
    c.close()
    problems += c.problems
    if c.stack:
        problems.append(f"unclosed elements at the end: {c.stack}")
    if not page.startswith("<!DOCTYPE html>"):
        problems.append("no <!DOCTYPE html>")
    if re.search(r"<script", page, re.I):
        problems.append("'<script' in the page")
    timelines = c.svgs.count("tl")
    if timelines and ("source" not in c.lanes or "destination" not in c.lanes):
        problems.append(f"timeline lanes are {c.lanes}, want source and destination")
    if "<section class=\"incident\"" in page and timelines == 0:
        problems.append("incidents but no timeline")
    if name == "non-convergence-timeout" and "conv" not in c.svgs:
        problems.append("no convergence plot (<svg class=\"conv\">)")
    return problems


def hostile_check(binary, samples):
    src = os.path.join(samples, "network-port-refused", "bundle")
    with tempfile.TemporaryDirectory() as tmp:
        bundle = os.path.join(tmp, "bundle")
        shutil.copytree(src, bundle)
        log = os.path.join(bundle, "cmp-a", "var", "log", "nova", "nova-compute.log")
        with open(log, encoding="utf-8") as f:
            lines = f.read().split("\n")
        hit = [i for i, l in enumerate(lines) if "Connection refused" in l and "ERROR" in l]
        if not hit:
            return ["hostile check: no 'Connection refused' ERROR line to modify"]
        lines[hit[0]] += " <script>alert(1)</script> <img src=x onerror=alert(2)>"
        with open(log, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        _, page = render(binary, bundle, tmp)
    problems = [f"hostile: {p}" for p in check_page("hostile", page)]
    if "&lt;script&gt;alert(1)&lt;/script&gt;" not in page:
        problems.append("hostile: the <script> of the log line is not shown as text")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--samples", required=True)
    args = ap.parse_args()
    binary, samples = os.path.abspath(args.binary), os.path.abspath(args.samples)
    failures = []
    for bundle in sorted(glob.glob(os.path.join(samples, "*", "bundle"))):
        name = os.path.basename(os.path.dirname(bundle))
        code, page = render(binary, bundle, samples)
        if code not in (0, 1, 3):
            failures.append(f"{name}: exit {code}")
            continue
        failures += [f"{name}: {p}" for p in check_page(name, page)]
        failures += [f"{name}: {p}" for p in written_for(binary, bundle, samples, page)]
        if name == "network-tls-peer-unverified-openstack-helm" and \
                "Commands written for compute-01: Kubernetes pods (OpenStack-Helm)" not in page:
            failures.append(f"{name}: the commands are not said to be written for Kubernetes")
        if render(binary, bundle, samples)[1] != page:
            failures.append(f"{name}: a second run gives a different page")
    failures += hostile_check(binary, samples)
    for f in failures:
        print(f"FAIL {f}")
    if not failures:
        print("ok: every sample's HTML report is well formed, self-contained and complete")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
