#!/usr/bin/env python3
"""Issue 19 items 5 and 6 from the command line, on bundles made from the samples.

    cli_habits.py --binary build/migsleuth --samples samples

  * a `virsh domjobinfo` loop typed at a shell prompt and kept in captures/ is attributed
    to the host of its prompt (never to "captures"), its domain comes from the loop's
    command line, and its samples reach the convergence numbers of the verdict;
  * kolla's var/log/kolla/nova/ layout names the host folder, not "kolla";
  * --explain says for every input whether its lines are used, or why not;
  * a sos `.tailed` log warns that its head is missing; sos host name and date files
    are read, not "not understood";
  * --tz / --instance that match nothing exit 2 listing what exists, and write nothing;
  * a misspelt subcommand suggests the right one; exit codes in --help and the man page;
  * a write into a missing folder says the OS reason and exits 4;
  * an empty folder, or one with no nova/libvirt/QEMU log, says what was looked for;
  * the preflight text table keeps long host names apart.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def run(binary, *args, cwd=None):
    env = dict(os.environ, NO_COLOR="1")
    p = subprocess.run([binary, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, timeout=120, cwd=cwd)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def report(binary, *args):
    code, out, err = run(binary, "analyze", "--format", "json", *args)
    if code != 0:
        raise SystemExit(f"analyze {args}: exit {code}: {err}")
    return json.loads(out)


def loop_bundle(samples, tmp, place="captures", prompt=True, command=True, name="jobwatch.log"):
    """non-convergence-stuck-progress with its domjobinfo capture turned into a loop typed
    at a prompt, and the source's nova progress lines gone (nova at WARNING)."""
    src = os.path.join(samples, "non-convergence-stuck-progress", "bundle")
    b = tempfile.mkdtemp(prefix="bundle-", dir=tmp)
    shutil.copytree(src, b, dirs_exist_ok=True)
    capture = os.path.join(b, "kvm-b03", "domjobinfo-instance-0000062a.txt")
    with open(capture, encoding="utf-8") as f:
        blocks = [line for line in f if not line.startswith("$ ")]
    os.remove(capture)
    head = []
    if command:
        loop = "while true; do date -u; virsh domjobinfo instance-0000062a; sleep 55; done\n"
        head.append(("[root@kvm-b03 ~]# " if prompt else "$ ") + loop)
    tail = ["^C\n", "[root@kvm-b03 ~]#\n"] if prompt else []
    os.makedirs(os.path.join(b, place), exist_ok=True)
    with open(os.path.join(b, place, name), "w", encoding="utf-8") as f:
        f.writelines(head + blocks + tail)
    log = os.path.join(b, "kvm-b03", "var", "log", "nova", "nova-compute.log")
    with open(log, encoding="utf-8") as f:
        kept = [line for line in f if "Migration running for" not in line]
    with open(log, "w", encoding="utf-8") as f:
        f.writelines(kept)
    return b


def check_captures(binary, samples, tmp, fails):
    b = loop_bundle(samples, tmp)
    r = report(binary, b)
    cap = [i for i in r["inputs"] if i["path"].endswith("jobwatch.log")]
    if len(cap) != 1 or cap[0]["host"] != "kvm-b03" or "prompt" not in cap[0]["host_attribution"]:
        fails.append(f"loop in captures/: input {cap!r} (want host kvm-b03 from the prompt)")
    if any(i.get("host") in ("captures", os.path.basename(b)) for i in r["inputs"]):
        fails.append("a layout folder or the bundle itself became a host")
    inc = r["incidents"][0] if r["incidents"] else {}
    if "over 3 domjobinfo samples" not in inc.get("summary", ""):
        fails.append(f"loop samples did not reach the convergence numbers: {inc.get('summary')!r}")
    cited = [e for e in inc.get("evidence", []) if e["path"].endswith("jobwatch.log")]
    if len(cited) < 2 or any(e["host"] != "kvm-b03" for e in cited):
        fails.append(f"loop samples not cited as kvm-b03's evidence: {cited!r}")
    _, _, err = run(binary, "analyze", "--explain", "--format", "json", b)
    inputs_part = err.split("explain: incident")[0].split("explain: hosts")[0]
    blocks = re.split(r"\n  (?=\S)", inputs_part)[1:]
    unexplained = [blk.splitlines()[0] for blk in blocks
                   if not re.search(r"^    (used: \d+ line\(s\) in |not used: )", blk, re.M)]
    if not blocks or unexplained:
        fails.append(f"--explain: inputs with no used/not used line: {unexplained!r}")
    if not re.search(r"jobwatch\.log\n(    .*\n){2}    used: 3 line\(s\) in mig-", err):
        fails.append("--explain does not say the loop's 3 samples are used")

    # Inside the host's own folder: the folder names the host, captures/ is only a layout.
    r = report(binary, loop_bundle(samples, tmp, place="kvm-b03/captures", prompt=False))
    cap = [i for i in r["inputs"] if i["path"].endswith("jobwatch.log")]
    if not cap or cap[0]["host"] != "kvm-b03":
        fails.append(f"kvm-b03/captures/: input {cap!r} (want host kvm-b03 from the folder)")

    # Piped through tee: no command line, no domain in the name -> a warning; in the
    # host's folder the samples still join the attempt by host and time, in captures/
    # with no host nothing joins them, and --explain says why.
    b = loop_bundle(samples, tmp, place="kvm-b03/captures", prompt=False, command=False)
    r = report(binary, b)
    cap = [i for i in r["inputs"] if i["path"].endswith("jobwatch.log")]
    if not cap or not any("name no domain" in w for w in cap[0]["warnings"]):
        fails.append(f"a loop naming no domain: no warning in {cap!r}")
    b = loop_bundle(samples, tmp, place="captures", prompt=False, command=False)
    _, _, err = run(binary, "analyze", "--explain", "--format", "json", b)
    if not re.search(r"jobwatch\.log\n(    .*\n){2}    not used: its samples name no domain "
                     r"and no host", err):
        fails.append("--explain does not say why a loop naming no domain nor host is not used")
    # A flat folder of captures from two hosts: each prompt names its own host; a prompt
    # naming the folder's own host in full (kvm-b03.example.net in kvm-b03/) keeps the folder.
    flat = tempfile.mkdtemp(prefix="flat-", dir=tmp)
    for host in ("kvm-b03", "kvm-b08"):
        with open(os.path.join(flat, f"virsh-list-{host}.txt"), "w", encoding="utf-8") as f:
            f.write(f"[root@{host} ~]# virsh list --all\n Id   Name                State\n"
                    "------------------------------------\n 7    instance-0000062a   running\n")
    got = sorted((os.path.basename(i["path"]), i["host"]) for i in report(binary, flat)["inputs"])
    if got != [("virsh-list-kvm-b03.txt", "kvm-b03"), ("virsh-list-kvm-b08.txt", "kvm-b08")]:
        fails.append(f"a flat folder of captures: hosts {got} (want each prompt's host)")
    one = os.path.join(tempfile.mkdtemp(prefix="one-", dir=tmp), "kvm-b03")
    os.makedirs(one)
    with open(os.path.join(one, "virsh-list.txt"), "w", encoding="utf-8") as f:
        f.write("[root@kvm-b03.example.net ~]# virsh list --all\n Id   Name   State\n"
                "-------------------\n 7    instance-0000062a   running\n")
    got = [(i["host"], i["warnings"]) for i in report(binary, one)["inputs"]]
    if got != [("kvm-b03", [])]:
        fails.append(f"a host folder given alone, prompt with its full name: {got}")
    # ... and the file name can name it.
    b = loop_bundle(samples, tmp, place="captures", prompt=False, command=False,
                    name="watch-instance-0000062a.log")
    inc = report(binary, b)["incidents"]
    if not inc or "domjobinfo samples" not in inc[0]["summary"]:
        fails.append("a loop named after its domain did not reach the convergence numbers")


def check_kolla(binary, samples, tmp, fails):
    src = os.path.join(samples, "device-vgpu-vtpm-week", "bundle")
    b = os.path.join(tmp, "kolla")
    for host in ("gpu-01", "gpu-02", "gpu-03"):
        dst = os.path.join(b, host, "var", "log", "kolla", "nova")
        os.makedirs(dst)
        shutil.copy(os.path.join(src, host, "nova", "nova-compute.log"), dst)
    hosts = sorted({i["host"] for i in report(binary, b)["inputs"]})
    if hosts != ["gpu-01", "gpu-02", "gpu-03"]:
        fails.append(f"kolla layout: hosts {hosts} (want the host folders, never 'kolla')")


def check_sos(binary, samples, tmp, fails):
    b = os.path.join(tmp, "sos")
    shutil.copytree(os.path.join(samples, "network-tls-unknown-issuer-sosreport", "bundle"), b)
    sos = sorted(d for d in os.listdir(b) if d.startswith("sosreport-"))[0]
    log = os.path.join(b, sos, "var", "log", "nova", "nova-compute.log")
    os.rename(log, log + ".tailed")
    plain = os.path.join(b, "cmp-x", "var", "log", "nova")
    os.makedirs(plain)
    shutil.copy(log + ".tailed", os.path.join(plain, "nova-compute.log.tailed"))
    r = report(binary, b)
    tailed = [i for i in r["inputs"] if i["path"].endswith(".tailed")]
    if len(tailed) != 2 or not all(any("head is missing" in w for w in i["warnings"])
                                   for i in tailed):
        fails.append(f".tailed logs: {tailed!r} (want a 'head is missing' warning on each)")
    meta = [i for i in r["inputs"] if "/sos_commands/host/" in i["path"]
            or "/sos_commands/date/" in i["path"]]
    if len(meta) != 4 or any(i["skipped_lines"] for i in meta):
        fails.append(f"sos host/date files counted as not understood: {meta!r}")
    if not all("names the host" in i["kind_reason"] or "sos ran at" in i["kind_reason"]
               for i in meta):
        fails.append(f"sos host/date files: what they hold is not said: {meta!r}")


def check_options(binary, samples, tmp, fails):
    bundle = os.path.join(samples, "json-logs-domjobinfo", "bundle")
    out = os.path.join(tmp, "r.json")
    code, stdout, err = run(binary, "analyze", "--tz", "nosuchhost=+01:00", "-o", out, bundle)
    if code != 2 or "error: --tz nosuchhost=+01:00" not in err or "cmp-a, cmp-b" not in err \
            or os.path.exists(out):
        fails.append(f"--tz matching nothing: exit {code} (want 2, hosts listed, no report): {err!r}")
    code, stdout, err = run(binary, "analyze", "--instance", "instance-000001b5", bundle)
    if code != 2 or stdout or \
            "bd8a3212-8687-4525-a8f2-f40322c72d5f (instance-000001b4)" not in err:
        fails.append(f"--instance matching nothing: exit {code} (want 2, attempts listed): {err!r}")
    code, _, _ = run(binary, "analyze", "--instance", "instance-000001b4", bundle)
    if code != 0:
        fails.append(f"--instance by domain: exit {code}")
    for typo, want in (("anlyze", "migsleuth analyze"), ("scna", "migsleuth scan"),
                       ("prefligth", "migsleuth preflight")):
        code, _, err = run(binary, typo, bundle)
        if code != 2 or f"did you mean '{want}'?" not in err:
            fails.append(f"`migsleuth {typo}`: exit {code}, stderr {err!r} (want '{want}')")
    code, _, err = run(binary, "rules", "lnt")
    if code != 2 or "did you mean 'migsleuth rules lint'?" not in err:
        fails.append(f"`rules lnt`: exit {code}, stderr {err!r}")
    _, helptext, _ = run(binary, "--help")
    codes = set(re.findall(r"^  (\d+) ", helptext.split("Exit codes:")[-1], re.M))
    man = os.path.join(os.path.dirname(samples), "doc", "migsleuth.1")
    with open(man, encoding="utf-8") as f:
        status = f.read().split(".SH EXIT STATUS")[1].split(".SH ")[0]
    in_man = set(re.findall(r"^\.B (\d+)$", status, re.M))
    if codes != {"0", "1", "2", "3", "4", "5", "130"} or in_man != codes:
        fails.append(f"exit codes: --help {sorted(codes)}, man page {sorted(in_man)}")
    missing = os.path.join(tmp, "no-such-folder", "r.txt")
    code, _, err = run(binary, "analyze", "-o", missing, bundle)
    if code != 4 or f"cannot write {missing}: No such file or directory" not in err:
        fails.append(f"write into a missing folder: exit {code}, stderr {err!r}")


def check_nothing_found(binary, tmp, fails):
    empty = os.path.join(tmp, "empty")
    os.makedirs(empty)
    code, out, _ = run(binary, "analyze", empty)
    if code != 0 or "nothing was read: no file under the given paths" not in out:
        fails.append(f"empty folder: exit {code}, output {out!r}")
    varlog = os.path.join(tmp, "var", "log")
    os.makedirs(varlog)
    with open(os.path.join(varlog, "syslog"), "w", encoding="utf-8") as f:
        f.write("May 21 14:02:12 cmp-a sshd[3012]: Accepted publickey for root from 10.0.0.5\n"
                "May 21 14:02:13 cmp-a CRON[3015]: (root) CMD (run-parts /etc/cron.hourly)\n")
    code, out, _ = run(binary, "analyze", os.path.join(tmp, "var"))
    if "no nova-compute, libvirt QEMU or libvirtd log among them" not in out or \
            "1 unrecognized" not in out or "var/log/nova/nova-compute.log" not in out:
        fails.append(f"/var/log with other programs' syslog only: output {out!r}")


def check_preflight(binary, samples, tmp, fails):
    hosts = os.path.join(tmp, "fleet")
    shutil.copytree(os.path.join(samples, "preflight-mixed-fleet", "hosts"), hosts)
    for root, _, files in os.walk(hosts):
        if "hostname" in files and root.endswith(os.path.join("sos_commands", "host")):
            path = os.path.join(root, "hostname")
            with open(path, encoding="utf-8") as f:
                short = f.read().split(".")[0].strip()
            with open(path, "w", encoding="utf-8") as f:
                f.write(f"overcloud-novacompute-{short}.localdomain\n")
    code, out, err = run(binary, "preflight", hosts)
    count = re.match(r"migsleuth preflight: (\d+) host\(s\)", out)
    if code not in (0, 3) or not count or "overcloud-novacompute-cmp-clx1" not in out:
        fails.append(f"preflight with long names: exit {code}: {err!r}")
        return
    n = int(count.group(1))
    table = out.split("host-passthrough (row")[1].split("\n")[1:n + 2]
    for row in table:
        cells = re.split(r" {2,}", row.strip())
        if len(cells) != n + (0 if row is table[0] else 1):
            fails.append(f"preflight table: columns run together in {row!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--samples", required=True)
    a = ap.parse_args()
    fails = []
    with tempfile.TemporaryDirectory() as tmp:
        check_captures(a.binary, a.samples, tmp, fails)
        check_kolla(a.binary, a.samples, tmp, fails)
        check_sos(a.binary, a.samples, tmp, fails)
        check_options(a.binary, a.samples, tmp, fails)
        check_nothing_found(a.binary, tmp, fails)
        check_preflight(a.binary, a.samples, tmp, fails)
    for f in fails:
        print(f"FAIL {f}")
    if not fails:
        print("ok: captures, layouts, sos files, unmatched options, typos, exit codes, "
              "empty bundles, preflight table")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
