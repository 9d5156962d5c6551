#!/usr/bin/env python3
"""The fleet page (README "Scanning a fleet"): `scan --html` and `report-fleet`.

usage: fleet_page.py MIGSLEUTH SOURCE_DIR WORK_DIR

On a generated fleet of 208 bundles (fleet_gen.py: sample bundles copied with other
hosts, instance ids and days) with one bundle whose folder name is an HTML tag:
  - scan --db --html and report-fleet over the same database write byte-identical pages,
    and report-fleet twice gives the same bytes; reading the database creates no file
    beside it;
  - every number on the page (data-metric / data-n) equals an SQL query over the
    database (sqlite3 module), and the attempts each number links to are exactly the
    rows that query selects; the incident list is the failed rows in their order;
  - 3 shards merged with `migsleuth merge` give the same page (and the same checks);
  - headless Chromium: no console error, the page is no wider than the window, a
    group link's target is shown with script off, the screenshot is not blank;
  - --incident-html: every attempt links to a per-bundle report holding its anchor;
  - an empty fleet, a fleet with no failure, one bundle, a fleet spread over months;
  - a file that is not a scan database: exit 2 with the reason; a page that cannot be
    written: exit 4.
"""
import datetime
import html.parser
import os
import re
import shutil
import sqlite3
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "report"))
import fleet_gen  # noqa: E402
from render_html import NOISE, chromium, distinct_colours, run_chromium  # noqa: E402

BIN, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
SAMPLES = os.path.join(SRC, "samples")
FAILS = []
CLASS_ORDER = ["cpu_incompatibility", "non_convergence", "device_passthrough", "storage",
               "network", "capacity", "unknown"]


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what, file=sys.stderr)
    return cond


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=300)


class Page(html.parser.HTMLParser):
    """Numbers (data-metric), groups (div.grp: anchors listed) and incident rows."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.metrics, self.groups, self.rows, self.tags = [], {}, [], set()
        self.examples = []  # the <pre> of each template row, in order
        self._group = self._href = None
        self._pre = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        if tag == "a" and self._group is None:
            self._href = a.get("href")
        if "data-metric" in a:
            # The group a number links to: its own href, or its enclosing <a> (an SVG bar).
            a["_link"] = self._href
            self.metrics.append(a)
        if tag == "pre":
            self._pre = True
            self.examples.append("")
        if tag == "div" and a.get("class") == "grp":
            self._group = a["id"]
            self.groups[self._group] = []
        elif tag == "a" and self._group is not None:
            self.groups[self._group].append(a["href"][1:])
        elif tag == "tr" and a.get("id", "").startswith("i"):
            self.rows.append((a["id"], a["data-bundle"], a["data-id"]))

    def handle_endtag(self, tag):
        if tag == "div":
            self._group = None
        elif tag == "a":
            self._href = None
        elif tag == "pre":
            self._pre = False

    def handle_data(self, data):
        if self._pre:
            self.examples[-1] += data


def parse(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p


FAILED = "i.outcome <> 'succeeded'"
CLS = "coalesce(i.classification, 'unknown')"


def sql_rows(con, where="1", args=()):
    """(bundle, incident id) of the failed attempts matching `where`, in page order."""
    return [tuple(r) for r in con.execute(
        f"SELECT b.path, i.id FROM incidents i JOIN bundles b ON b.id = i.bundle_id "
        f"WHERE {FAILED} AND ({where}) "
        f"ORDER BY i.started_at IS NULL, i.started_at, b.path, i.seq", args)]


def bucket_sql(con):
    """The SQL expression of the page's bar for a start time (day, ISO week, month)."""
    lo, hi = con.execute(f"SELECT min(date(started_at)), max(date(started_at)) FROM incidents i "
                         f"WHERE {FAILED} AND started_at IS NOT NULL").fetchone()
    if lo is None:
        return None, None
    span = (datetime.date.fromisoformat(hi) - datetime.date.fromisoformat(lo)).days
    if span > 2 * 366:
        return "month", "substr(i.started_at, 1, 7)"
    if span > 62:  # the Monday of the ISO week
        return "week", "date(i.started_at, '-6 days', 'weekday 1')"
    return "day", "substr(i.started_at, 1, 10)"


def one_arg(con, sql, args):
    return con.execute(sql, args).fetchone()[0]


def check_numbers(name, page_path, db):
    """Every number of the page against SQL over `db`; returns the parsed page."""
    page = parse(page_path)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    totals = {"bundles": one("SELECT count(*) FROM bundles"),
              "bad-bundles": one("SELECT count(*) FROM bundles WHERE status <> 'ok'"),
              "incidents": one("SELECT count(*) FROM incidents"),
              "findings": one("SELECT count(*) FROM findings"),
              "failures": one(f"SELECT count(*) FROM incidents i WHERE {FAILED}")}
    by_id = {r[0]: (r[1], r[2]) for r in page.rows}
    all_rows = sql_rows(con)
    check([(b, i) for _, b, i in page.rows] == all_rows,
          f"{name}: the incident list is not the failed rows in order "
          f"({len(page.rows)} rows, SQL {len(all_rows)})")
    kind, bucket = bucket_sql(con)
    seen = {}
    for m in page.metrics:
        metric, n = m["data-metric"], int(m["data-n"])
        seen[metric] = seen.get(metric, 0) + 1
        where, args = None, ()
        if metric in totals:
            check(n == totals[metric], f"{name}: {metric} is {n}, SQL says {totals[metric]}")
            where = "1" if metric == "failures" and n > 0 else None
        elif metric == "class":
            where, args = f"{CLS} = ?", (m["data-class"],)
        elif metric == "time":
            where, args = f"{CLS} = ? AND {bucket} = ?", (m["data-class"], m["data-bucket"])
        elif metric == "no-time":
            where = "i.started_at IS NULL"
        elif metric == "pair":
            where = "coalesce(i.source_host, '') = ? AND coalesce(i.destination_host, '') = ?"
            args = (m["data-source"], m["data-destination"])
            per_class = dict(con.execute(
                f"SELECT {CLS}, count(*) FROM incidents i WHERE {FAILED} AND {where} "
                f"GROUP BY 1", args).fetchall())
            top = max(per_class.values())
            dominant = next(c for c in CLASS_ORDER if per_class.get(c) == top)
            check(m["data-dominant"] == dominant,
                  f"{name}: pair {args} tagged {m['data-dominant']}, SQL says {dominant}")
        elif metric == "cause":
            where = f"{CLS} = ? AND coalesce(i.cause, '') = ?"
            args = (m["data-class"], m["data-cause"])
            first, last = con.execute(f"SELECT coalesce(min(started_at), ''), "
                                      f"coalesce(max(started_at), '') FROM incidents i "
                                      f"WHERE {FAILED} AND {where}", args).fetchone()
            check((m["data-first"], m["data-last"]) == (first, last),
                  f"{name}: cause {args} seen {m['data-first']}..{m['data-last']}, "
                  f"SQL says {first}..{last}")
        elif metric == "template":
            where, args = "i.error_template = ?", (m["data-template"],)
        else:
            check(False, f"{name}: unknown metric {metric}")
        if where is None:
            continue
        rows = sql_rows(con, where, args)
        check(n == len(rows), f"{name}: {metric} {args} is {n}, SQL says {len(rows)}")
        link = m["_link"]
        if check(link is not None and link[1:] in page.groups,
                 f"{name}: {metric} {args} links to no group"):
            linked = sorted(by_id[x] for x in page.groups[link[1:]])
            check(linked == sorted(rows), f"{name}: {metric} {args} links to other attempts")
    # Each template's example is one of its attempts' cited lines, as logged.
    templates = [m["data-template"] for m in page.metrics if m["data-metric"] == "template"]
    check(len(templates) == len(page.examples), f"{name}: a template has no example")
    for tpl, example in zip(templates, page.examples):
        n = one_arg(con, "SELECT count(*) FROM evidence e JOIN incidents i ON i.bundle_id = "
                         "e.bundle_id AND i.seq = e.incident_seq WHERE i.error_template = ? "
                         "AND e.text = ?", (tpl, example))
        check(n > 0, f"{name}: example {example[:80]!r} is no cited line of {tpl[:60]!r}")
    con.close()
    return page, seen, kind


def listing(folder):
    return sorted(os.listdir(folder))


def render(name, page, browser, fragment=None, screenshot=True):
    """Chromium on `page`: console errors, width, a group shown by :target, screenshot.

    One run loads a copy of the page with a probe script appended (the page ships none):
    any console message or load error is the page's (the probe logs nothing), and the
    probe records the layout width against the window's and whether the group `fragment`
    names is shown when it is the target."""
    probe = page + ".probe.html"
    with open(page, encoding="utf-8") as f:
        text = f.read()
    # On load: :target applies once the fragment is scrolled to, after parsing.
    script = ("<script>addEventListener('load',function(){var t=location.hash?"
              "document.getElementById(location.hash.slice(1)):null;"
              "document.body.setAttribute('data-probe',[document.documentElement.scrollWidth,"
              "window.innerWidth,t?getComputedStyle(t).display:'none'].join(' '));});</script>")
    with open(probe, "w", encoding="utf-8") as f:
        f.write(text.replace("</body>", script + "</body>"))
    target = "#" + fragment if fragment else ""
    code, dom, err = run_chromium(browser, ["--enable-logging=stderr", "--v=0", "--dump-dom"],
                                  "file://" + os.path.abspath(probe) + target)
    os.remove(probe)
    console = [l for l in err.splitlines() if "CONSOLE" in l or "Uncaught" in l]
    errors = [l for l in err.splitlines()
              if (":ERROR:" in l or ":FATAL:" in l) and not NOISE.search(l)]
    check(code == 0 and "migsleuth fleet" in dom, f"{name}: chromium did not render the page")
    check(not console and not errors, f"{name}: console/load errors: {console + errors}")
    marker = dom.split('data-probe="', 1)
    if check(len(marker) == 2, f"{name}: the probe did not run"):
        width, window, shown = marker[1].split('"', 1)[0].split()
        check(int(width) <= int(window), f"{name}: the page is {width} px wide in a {window} px window")
        if fragment:
            check(shown == "block", f"{name}: #{fragment} is not shown when targeted ({shown})")
    if not screenshot:
        return
    png = page[:-5] + ".png"
    code, _, _ = run_chromium(browser, [f"--screenshot={png}"], "file://" + os.path.abspath(page))
    if check(code == 0 and os.path.exists(png), f"{name}: no screenshot"):
        colours = distinct_colours(png)
        check(colours >= 4, f"{name}: the screenshot is nearly blank ({colours} colours)")


def scan_page(name, bundles, extra=()):
    """scan --db --html over `bundles`; (db, page)."""
    db, page = os.path.join(WORK, name + ".db"), os.path.join(WORK, name + ".html")
    r = run("scan", "-q", "-j2", "--db", db, "--html", page, *extra, bundles)
    check(r.returncode in (0, 3) and os.path.exists(page), f"{name}: scan exited {r.returncode}: {r.stderr}")
    return db, page


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    browser = chromium()
    if browser is None:
        print("FAIL: chromium is not installed (scripts/install-deps.sh installs it)")
        return 1
    bundles = os.path.join(WORK, "fleet")
    fleet_gen.make_fleet(SAMPLES, bundles, 207, datetime.date(2025, 1, 6), 30)
    # A bundle whose folder name is markup: the page must show it as text.
    hostile = "b-<img src=x onerror=alert(1)>"
    shutil.copytree(os.path.join(bundles, "fleet-0000-network-port-refused"),
                    os.path.join(bundles, hostile))

    db, scanned = scan_page("fleet", bundles)
    page = os.path.join(WORK, "page.html")
    before = listing(WORK)
    r = run("report-fleet", db, "-o", page)
    check(r.returncode == 0, f"report-fleet exited {r.returncode}: {r.stderr}")
    check(listing(WORK) == sorted(before + ["page.html"]),
          f"report-fleet created files beside the database: {set(listing(WORK)) - set(before)}")
    same = open(scanned, "rb").read() == open(page, "rb").read()
    check(same, "scan --html and report-fleet wrote different pages for one database")
    run("report-fleet", db, "-o", page + ".again")
    check(open(page, "rb").read() == open(page + ".again", "rb").read(),
          "report-fleet is not deterministic")
    parsed, seen, kind = check_numbers("fleet", page, db)
    check(kind == "day", f"fleet: a 30-day fleet has bars per {kind}")
    for metric in ("time", "pair", "cause", "template", "class"):
        check(seen.get(metric, 0) > 0, f"fleet: no {metric} number on the page")
    check(len(parsed.rows) >= 200, f"fleet: only {len(parsed.rows)} failed attempts")
    check("img" not in parsed.tags and "script" not in parsed.tags,
          "fleet: markup from a bundle name became a tag")
    check("b-&lt;img src=x onerror=alert(1)&gt;" in open(page, encoding="utf-8").read(),
          "fleet: the hostile bundle name is not shown escaped")
    cause_link = next(m["_link"][1:] for m in parsed.metrics if m["data-metric"] == "cause")
    render("fleet", page, browser, fragment=cause_link)

    # Shards merged: the same database content, hence the same page.
    shards = []
    for k in (1, 2, 3):
        shard = os.path.join(WORK, f"shard{k}.db")
        r = run("scan", "-q", "--shard", f"{k}/3", "--db", shard, bundles)
        check(r.returncode in (0, 3), f"shard {k}: exit {r.returncode}: {r.stderr}")
        shards.append(shard)
    merged = os.path.join(WORK, "merged.db")
    r = run("merge", "-q", "-o", merged, *shards)
    check(r.returncode in (0, 3), f"merge exited {r.returncode}: {r.stderr}")
    merged_page = os.path.join(WORK, "merged.html")
    r = run("report-fleet", merged, "-o", merged_page)
    check(r.returncode == 0, f"report-fleet on the merged database exited {r.returncode}")
    check_numbers("merged", merged_page, merged)
    text = open(merged_page, encoding="utf-8").read().replace(merged, db)
    check(text == open(page, encoding="utf-8").read(),
          "the merged shards' page differs from the single scan's")
    render("merged", merged_page, browser, screenshot=False)

    # Per-bundle reports: every attempt links to a report that holds its anchor.
    per = os.path.join(WORK, "incidents")
    linked = os.path.join(WORK, "linked.html")
    r = run("report-fleet", db, "-o", linked, "--incident-html", per)
    check(r.returncode == 0, f"--incident-html exited {r.returncode}: {r.stderr}")
    links = re.findall(r'<a href="(incidents/[^"#]+)#([^"]+)">', open(linked, encoding="utf-8").read())
    check(len(links) == len(parsed.rows), f"--incident-html: {len(links)} links for {len(parsed.rows)} attempts")
    for href, anchor in links:
        target = os.path.join(WORK, href.replace("&amp;", "&"))
        check(os.path.exists(target) and f'id="{anchor}"' in open(target, encoding="utf-8").read(),
              f"--incident-html: {href}#{anchor} does not exist")

    # Small fleets: empty, no failure, one bundle, months apart.
    empty = os.path.join(WORK, "empty")
    os.makedirs(empty)
    db0, page0 = scan_page("empty", empty)
    check_numbers("empty", page0, db0)
    render("empty", page0, browser, screenshot=False)
    ok = os.path.join(WORK, "ok")
    os.makedirs(ok)
    shutil.copytree(os.path.join(SAMPLES, "success-with-noise", "bundle"), os.path.join(ok, "one"))
    db1, page1 = scan_page("no-failure", ok)
    p1, _, _ = check_numbers("no-failure", page1, db1)
    check(not p1.rows and "No failed migration" in open(page1, encoding="utf-8").read(),
          "no-failure: the page does not say that nothing failed")
    render("no-failure", page1, browser, screenshot=False)
    one = os.path.join(WORK, "one")
    fleet_gen.make_fleet(SAMPLES, one, 1, datetime.date(2025, 3, 3), 1)
    db2, page2 = scan_page("one-bundle", one)
    check_numbers("one-bundle", page2, db2)
    render("one-bundle", page2, browser, screenshot=False)
    spread = os.path.join(WORK, "spread")
    fleet_gen.make_fleet(SAMPLES, spread, 12, datetime.date(2024, 9, 2), 200, name="spread")
    db3, page3 = scan_page("spread", spread)
    _, _, kind = check_numbers("spread", page3, db3)
    check(kind == "week", f"spread: a 200-day fleet has bars per {kind}")
    # No --db: a scratch database, gone afterwards; the same page but for its name.
    nodb = os.path.join(WORK, "nodb")
    os.makedirs(nodb)
    r = run("scan", "-q", "--html", os.path.join(nodb, "p.html"), spread)
    check(r.returncode == 0 and listing(nodb) == ["p.html"],
          f"scan --html without --db: exit {r.returncode}, left {listing(nodb)}")
    check(open(os.path.join(nodb, "p.html"), encoding="utf-8").read().replace(
        "(none: scan --html without --db)", db3) == open(page3, encoding="utf-8").read(),
        "scan --html without --db shows another page than its database would")

    # Errors: not a scan database (exit 2, the reason), a page that cannot be written (4).
    notdb = os.path.join(WORK, "notes.txt")
    with open(notdb, "w") as f:
        f.write("not a database\n")
    other = os.path.join(WORK, "other.db")
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.commit()
    for path, reason in ((notdb, "not an SQLite database"), (other, "not a migsleuth scan database"),
                         (os.path.join(WORK, "absent.db"), "cannot be read")):
        r = run("report-fleet", path, "-o", os.path.join(WORK, "x.html"))
        check(r.returncode == 2 and reason in r.stderr and path in r.stderr,
              f"report-fleet {os.path.basename(path)}: exit {r.returncode}, {r.stderr.strip()!r}")
    check(not os.path.exists(os.path.join(WORK, "x.html")), "a page was written for a bad database")
    for out in ("/dev/full", os.path.join(WORK, "no-such-dir", "x.html")):
        r = run("report-fleet", db, "-o", out)
        check(r.returncode == 4 and "cannot write" in r.stderr,
              f"report-fleet -o {out}: exit {r.returncode}, {r.stderr.strip()!r}")
    r = run("scan", "-q", "--db", os.path.join(WORK, "full.db"), "--html", "/dev/full", one)
    check(r.returncode == 4, f"scan --html /dev/full: exit {r.returncode}")

    print(f"fleet page: {len(parsed.rows)} failed attempts, {len(parsed.metrics)} numbers checked "
          f"against SQL; {len(FAILS)} failure(s)")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
