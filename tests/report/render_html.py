#!/usr/bin/env python3
"""Render the HTML report of samples in headless Chromium (Debian's `chromium`).

    render_html.py --binary build/migsleuth --samples samples --out DIR SCENARIO...

For each scenario (one per deployment layout the samples cover: plain packages, TripleO
containers, EDPM journal, kolla, sosreport tarballs, controller-only records): writes
DIR/<scenario>.html, then
  1. `chromium --headless --dump-dom` with console logging on stderr: the page must load
     with no console message at all (we ship no script, so any is an error: a blocked
     fetch, a CSP or parse complaint) and the DOM must hold the report;
  2. in that rendered DOM (issue 19): every timeline lane label is a whole host name of the
     report (its <tspan> lines joined; no "..." cut, and every incident's source and
     destination are among them), no tooltip <title> holds an escape sequence such as a
     literal "\\x0a" (line breaks are real), and on an attempt shorter than 2 s every
     axis label is the time of a marker on it (steps in order, not an empty clock axis);
  3. `chromium --headless --screenshot=DIR/<scenario>.png`: the PNG must not be blank
     (decoded with zlib: not every pixel the same colour). Look at them (HACKING.md).
Chromium missing is a failure, not a skip (CI installs it: scripts/install-deps.sh).
Every Chromium run has a timeout and a throw-away profile. Python 3 stdlib only.
"""
import argparse
import html.parser
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib

TIMEOUT = 90  # seconds per Chromium run
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--hide-scrollbars", "--window-size=1280,2000"]
# Chromium's own noise on a machine with no session bus or GPU; never about the page.
NOISE = re.compile(r"dbus|bus\.cc|object_proxy|gpu|viz|gl_|egl|angle|sandbox|zygote|"
                   r"fontconfig|Fontconfig|crashpad|variations|ALSA|pulse|udev|"
                   r"Failed to adjust OOM|MESA|libva|vaapi|shared_image|command_buffer|"
                   # the browser's own IPC between its processes, seen under load
                   # ("Message N rejected by interface blink.mojom.FrameWidgetHost"):
                   # not about the page, which console messages would say
                   r"interface_endpoint_client|rejected by interface",
                   re.I)


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def run_chromium(browser, extra, url):
    with tempfile.TemporaryDirectory() as profile:
        cmd = [browser, *FLAGS, f"--user-data-dir={profile}", *extra, url]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=TIMEOUT)
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def png_pixels(path):
    """(width, height, rows of bytes per pixel) of an 8-bit RGB/RGBA PNG, unfiltered."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            if depth != 8 or color not in (2, 6):
                raise ValueError(f"unsupported PNG: depth {depth}, colour type {color}")
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def distinct_colours(path, limit=16):
    _, _, bpp, rows = png_pixels(path)
    seen = set()
    for row in rows[::7]:  # every 7th row is plenty to tell blank from not
        for i in range(0, len(row), bpp * 3):
            seen.add(row[i:i + 3])
            if len(seen) >= limit:
                return len(seen)
    return len(seen)


class TimelineReader(html.parser.HTMLParser):
    """Lane host labels, marker tooltips and axis labels of every timeline <svg class="tl">."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.timelines = []
        self._where = None  # "lhost" | "title" | "tick" while inside one
        self._in_label = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg" and a.get("class") == "tl":
            self.timelines.append({"labels": [], "titles": [], "ticks": [], "ordinal": False})
        elif not self.timelines:
            return
        elif tag == "text" and a.get("class") == "lhost":
            self._where = "lhost"
            self._in_label = True
            self.timelines[-1]["labels"].append([])
        elif tag == "title":
            self._in_label = self._where == "lhost"
            self._where = "title"
            self.timelines[-1]["titles"].append("")
        elif tag == "text" and a.get("class") == "tick":
            self._where = "tick"
            self.timelines[-1]["ticks"].append("")

    def handle_endtag(self, tag):
        if tag == "text":
            self._where = None
        elif tag == "title":
            # A <title> inside a label (older reports put the whole name there) is a
            # tooltip, not what the lane shows: go back to reading the label.
            in_label = self.timelines and self.timelines[-1]["labels"] and self._in_label
            self._where = "lhost" if in_label else None

    def handle_data(self, data):
        if self._where is None or not self.timelines:
            return
        tl = self.timelines[-1]
        if self._where == "lhost":
            tl["labels"][-1].append(data)
        elif self._where == "title":
            tl["titles"][-1] += data
        elif self._where == "tick":
            tl["ticks"][-1] += data
            tl["ordinal"] = tl["ordinal"] or "steps in order" in data


ESCAPE_SEQUENCE = re.compile(r"\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}")


def check_timelines(name, dom, report):
    problems = []
    reader = TimelineReader()
    reader.feed(dom)
    hosts = set()
    for inc in report.get("incidents", []):
        hosts.update(h for h in (inc.get("source_host"), inc.get("destination_host")) if h)
    labels = set()
    for tl in reader.timelines:
        for parts in tl["labels"]:
            label = "".join(parts)
            labels.add(label)
            if label.endswith("...") or "\u2026" in label:
                problems.append(f"{name}: lane label {label!r} is cut")
        for title in tl["titles"]:
            if ESCAPE_SEQUENCE.search(title):
                problems.append(f"{name}: tooltip holds an escape sequence: {title[:120]!r}")
            if title.count("\n") < 2:
                problems.append(f"{name}: tooltip without its line breaks: {title[:120]!r}")
        times = {t.split(" ", 1)[0] for t in tl["titles"] if re.match(r"\d\d:\d\d:\d\d\.\d{3} ", t)}
        secs = [int(t[0:2]) * 3600 + int(t[3:5]) * 60 + float(t[6:]) for t in times]
        if secs and max(secs) - min(secs) < 2:  # an attempt with no transfer
            for tick in tl["ticks"]:
                if "steps in order" not in tick and tick not in times:
                    problems.append(f"{name}: axis label {tick!r} is no marker's time")
    for host in sorted(hosts - labels):
        problems.append(f"{name}: host {host!r} has no whole lane label (labels: {sorted(labels)})")
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--binary", required=True)
    ap.add_argument("--samples", required=True)
    ap.add_argument("--out", required=True, help="where the .html and .png files go")
    ap.add_argument("scenarios", nargs="+")
    args = ap.parse_args()
    browser = chromium()
    if browser is None:
        print("FAIL: chromium is not installed (apt-get install chromium; "
              "scripts/install-deps.sh does it)")
        return 1
    os.makedirs(args.out, exist_ok=True)
    failures = []
    for name in args.scenarios:
        bundle = os.path.join(os.path.abspath(args.samples), name, "bundle")
        page = os.path.join(os.path.abspath(args.out), f"{name}.html")
        png = os.path.join(os.path.abspath(args.out), f"{name}.png")
        proc = subprocess.run([args.binary, "analyze", "--format", "html", "-o", page, bundle],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        if proc.returncode not in (0, 1, 3) or not os.path.exists(page):
            failures.append(f"{name}: analyze exited {proc.returncode}")
            continue
        url = "file://" + page
        try:
            code, dom, err = run_chromium(browser, ["--enable-logging=stderr", "--v=0",
                                                    "--dump-dom"], url)
            console = [l for l in err.splitlines() if "CONSOLE" in l or "Uncaught" in l]
            errors = [l for l in err.splitlines()
                      if (":ERROR:" in l or ":FATAL:" in l) and not NOISE.search(l)]
            if code != 0:
                failures.append(f"{name}: chromium --dump-dom exited {code}\n{err[-2000:]}")
            if console or errors:
                failures.append(f"{name}: console/load errors:\n  " + "\n  ".join(console + errors))
            if "<svg class=\"tl\"" not in dom or "migsleuth report" not in dom:
                failures.append(f"{name}: the rendered DOM lacks the report or its timeline")
            proc = subprocess.run([args.binary, "analyze", "--format", "json", bundle],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
            failures += check_timelines(name, dom, json.loads(proc.stdout))
            code, _, err = run_chromium(browser, [f"--screenshot={png}"], url)
            if code != 0 or not os.path.exists(png):
                failures.append(f"{name}: no screenshot (exit {code})\n{err[-2000:]}")
                continue
            colours = distinct_colours(png)
            if colours < 2:
                failures.append(f"{name}: the screenshot is blank (one colour)")
            print(f"{name}: {png} ({colours}+ colours)")
        except subprocess.TimeoutExpired:
            failures.append(f"{name}: chromium did not finish within {TIMEOUT} s")
    for f in failures:
        print(f"FAIL {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
