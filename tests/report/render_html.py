#!/usr/bin/env python3
"""Render the HTML report of samples in headless Chromium (Debian's `chromium`).

    render_html.py --binary build/migsleuth --samples samples --out DIR SCENARIO...

For each scenario: writes DIR/<scenario>.html, then
  1. `chromium --headless --dump-dom` with console logging on stderr: the page must load
     with no console message at all (we ship no script, so any is an error: a blocked
     fetch, a CSP or parse complaint) and the DOM must hold the report;
  2. `chromium --headless --screenshot=DIR/<scenario>.png`: the PNG must not be blank
     (decoded with zlib: not every pixel the same colour).
Chromium missing is a failure, not a skip (CI installs it: scripts/install-deps.sh).
Every Chromium run has a timeout and a throw-away profile. Python 3 stdlib only.
"""
import argparse
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
                   r"Failed to adjust OOM|MESA|libva|vaapi|shared_image|command_buffer",
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
