#!/usr/bin/env python3
"""migsleuth collect, end to end: the script it prints is run on two fake
compute hosts (a root folder the script reads through its documented test
hook MIGSLEUTH_COLLECT_ROOT, plus fake hostname, virsh, journalctl,
timedatectl and date on PATH that print realistic captured output), and the
two tarballs it writes are analysed. The report must be the one analyze makes
of the same hosts' files as a bundle folder (sample
non-convergence-domjobinfo-loop: the source's log, rotated to .1, both QEMU
logs, the domjobinfo loop the fake virsh printed; not the destination's one
nova line, another image's cache warning, which names no instance and which
the collector rightly leaves out), after normalising the input
paths and leaving out the collector's own files that analyze does not read
(collect.log, hostname, clock, nova.conf options, dumpxml: kind
'unrecognized', no lines used). Also checked: the rotations selected (an old
.2.gz and the current log that do not name the instance are left out; a
window picks by modification time), no secret of nova.conf in the tarball,
one host folder named by `hostname`. A second run, `--deployment kolla`,
takes the sample non-convergence-timeout-kolla's host folders as the hosts
themselves (var/log/kolla/..., docker exec into nova_libvirt): the tarballs
must analyse to that sample bundle's own report, deployment kolla included.
A third, `--controller`, runs against a fake openstack CLI printing the
sample network-port-binding-failed's captures: each lands under a name
analyze recognises (server-show-, migration-list-, hypervisor-show-,
port-show-), is read as its kind, and the report is the one of the same
captures in a controller folder.

usage: collect_e2e.py MIGSLEUTH SOURCE_DIR WORK_DIR
"""
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile

BIN, SRC, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
SAMPLE = os.path.join(SRC, "samples", "non-convergence-domjobinfo-loop", "bundle")
UUID = "8b2f6d14-c35e-4a0b-9e71-5d3a0c8f2e69"
DOM = "instance-0000062a"
SECRET = "s3cr3t-Pa55"
failures = []


def check(ok, what):
    print(("ok:   " if ok else "FAIL: ") + what)
    if not ok:
        failures.append(what)


def write(path, text, mtime=None, gz=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = text.encode()
    if gz:
        data = gzip.compress(data, mtime=0)
    with open(path, "wb") as f:
        f.write(data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def epoch(text):  # "2024-02-13 09:17:32" UTC
    import calendar
    import time
    return calendar.timegm(time.strptime(text, "%Y-%m-%d %H:%M:%S"))


# The domjobinfo loop of the sample: its date lines and blocks.
loop = read(os.path.join(SAMPLE, "captures", "jobwatch.log")).splitlines()[1:]
samples = []
for line in loop:
    if re.match(r"^[A-Z][a-z]{2} [A-Z][a-z]{2} +\d+ [\d:]+ UTC \d{4}$", line):
        samples.append([line, []])
    elif samples and line.strip() and not line.startswith("^C"):
        samples[-1][1].append(line)
assert len(samples) >= 3, "the sample's loop holds three blocks"

VIRSH_LIST = (" Id   Name                State\n"
              "-----------------------------------\n"
              " 7    " + DOM + "   running\n")
DUMPXML = ("<domain type='kvm' id='7'>\n  <name>" + DOM + "</name>\n  <uuid>" + UUID +
           "</uuid>\n  <memory unit='KiB'>4194304</memory>\n  <cpu mode='host-model' "
           "check='partial'/>\n</domain>\n")
NOVA_CONF = f"""[DEFAULT]
host = kvm-b03.example.org
my_ip = 10.20.0.3
transport_url = rabbit://nova:{SECRET}@ctl-1:5672/
debug = False
[database]
connection = mysql+pymysql://nova:{SECRET}@ctl-1/nova
[keystone_authtoken]
password = {SECRET}
[libvirt]
live_migration_permit_post_copy = false
live_migration_completion_timeout = 150
live_migration_uri = qemu+ssh://nova_migration:{SECRET}@%s/system
cpu_mode = host-model
rbd_secret_uuid = 6f2c1a40-{SECRET}
"""


def fake_host(name, source):
    """A root folder and a PATH folder of fakes for host `name`."""
    root = os.path.join(WORK, "hosts", name, "root")
    fakes = os.path.join(WORK, "hosts", name, "bin")
    state = os.path.join(WORK, "hosts", name, "state")
    for d in (root, fakes, state):
        os.makedirs(d, exist_ok=True)
    sample_host = os.path.join(SAMPLE, name)
    nova = read(os.path.join(sample_host, "var/log/nova/nova-compute.log"))
    qemu = read(os.path.join(sample_host, "var/log/libvirt/qemu", DOM + ".log"))
    last = nova.splitlines()[-1][:19]
    # The attempt's lines were rotated into .1 at 09:20; the current file
    # and an older .2.gz hold other instances' lines only.
    write(f"{root}/var/log/nova/nova-compute.log.1", nova, epoch(last) + 1)
    write(f"{root}/var/log/nova/nova-compute.log.2.gz",
          "2024-02-10 03:00:01.001 2650 INFO nova.compute.manager [req-0b1c2d3e-0000-4000-8000-"
          "000000000001 - - - - -] [instance: 3f1c0a52-1111-4222-8333-944455556666] "
          "VM Resumed (Lifecycle Event)\n", epoch("2024-02-10 03:00:01"), gz=True)
    write(f"{root}/var/log/nova/nova-compute.log",
          "2024-02-14 08:00:00.100 2650 INFO nova.compute.resource_tracker [req-0b1c2d3e-0000-"
          "4000-8000-000000000002 - - - - -] Final resource view: name=" + name +
          " phys_ram=257654MB used_ram=8704MB\n", epoch("2024-02-14 08:00:00"))
    write(f"{root}/var/log/libvirt/qemu/{DOM}.log", qemu, epoch(last))
    write(f"{root}/var/log/libvirt/qemu/instance-00000700.log",
          "2024-02-11 10:00:00.000+0000: starting up libvirt version: 8.0.0, qemu version: "
          "6.2.0, hostname: " + name + "\n", epoch("2024-02-11 10:00:00"))
    write(f"{root}/etc/nova/nova.conf", NOVA_CONF.replace("kvm-b03", name))

    # The outputs the fakes print, in files they read.
    dates = ["Tue Feb 13 09:20:00 UTC 2024"] + [s[0] for s in samples[:3]]
    write(f"{state}/dates", "\n".join(dates) + "\n")
    for i, s in enumerate(samples[:3]):
        write(f"{state}/job{i + 1}", "\n".join(s[1]) + "\n")
    write(f"{state}/list", VIRSH_LIST if source else
          " Id   Name   State\n--------------------\n\n")
    write(f"{state}/dumpxml", DUMPXML)

    def fake(tool, body):
        path = os.path.join(fakes, tool)
        write(path, "#!/bin/sh\n" + body)
        os.chmod(path, 0o755)

    fake("hostname", f'[ "${{1:-}}" = -f ] && echo {name}.example.org || echo {name}\n')
    fake("timedatectl", "echo '               Local time: Tue 2024-02-13 09:20:00 UTC'\n"
                        "echo '                Time zone: Etc/UTC (UTC, +0000)'\n"
                        "echo 'System clock synchronized: yes'\n")
    fake("journalctl", "echo '-- No entries --'\n")
    # date -u +FORMAT: the tarball's stamp; date -u: the next line of dates.
    fake("date", f'''case "${{2:-}}" in +*) echo 20240213T092000Z; exit 0 ;; esac
n=$(cat "{state}/date_n" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "{state}/date_n"
sed -n "${{n}}p" "{state}/dates"
''')
    domname = (f'[ "$3" = {UUID} ] && {{ echo {DOM}; echo; exit 0; }}\n' if source else "")
    fake("virsh", f'''[ "$1" = -r ] || {{ echo "error: expected virsh -r" >&2; exit 1; }}
case "$2" in
  list) cat "{state}/list" ;;
  domname) {domname}echo "error: failed to get domain '$3'" >&2; exit 1 ;;
  dumpxml) [ "$3" = {DOM} ] && cat "{state}/dumpxml" ;;
  domjobinfo)
    n=$(cat "{state}/job_n" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "{state}/job_n"
    if [ -f "{state}/job$n" ]; then cat "{state}/job$n"; else echo "Job type:         None"; fi ;;
  *) echo "error: unknown command '$2'" >&2; exit 1 ;;
esac
''')
    return root, fakes, state


def collect(script, name, root, fakes, out):
    os.makedirs(out, exist_ok=True)
    env = dict(os.environ, MIGSLEUTH_COLLECT_ROOT=root, PATH=fakes + ":" + os.environ["PATH"])
    r = subprocess.run(["sh", script], env=env, capture_output=True, text=True, cwd=out)
    check(r.returncode == 0, f"{name}: the script exits 0 ({r.stderr.strip()})")
    tars = [f for f in os.listdir(out) if f.endswith(".tar.gz")]
    check(tars == [f"migsleuth-collect-{name}-20240213T092000Z.tar.gz"],
          f"{name}: one tarball named by host and time ({tars})")
    return os.path.join(out, tars[0]) if tars else None


def members(tar):
    with tarfile.open(tar) as t:
        return sorted(m.name for m in t.getmembers() if m.isfile())


def analyze(*paths):
    r = subprocess.run([BIN, "analyze", "--format", "json", *paths], capture_output=True,
                       text=True)
    check(r.returncode == 0, f"analyze {' '.join(os.path.basename(p) for p in paths)} exits 0")
    return json.loads(r.stdout)


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)

# --- one instance ---------------------------------------------------------
script = os.path.join(WORK, "collect.sh")
r = subprocess.run([BIN, "collect", "--instance", UUID.upper(), "--job-samples", "3",
                    "--job-interval", "0", "-o", script], capture_output=True, text=True)
check(r.returncode == 0 and os.access(script, os.X_OK), "collect -o writes an executable script")
tarballs = []
for name, source in (("kvm-b03", True), ("kvm-b08", False)):
    root, fakes, _ = fake_host(name, source)
    tarballs.append(collect(script, name, root, fakes, os.path.join(WORK, "out-" + name)))
src_members = members(tarballs[0])
check("kvm-b03/var/log/nova/nova-compute.log.1" in src_members,
      "the rotation that holds the attempt (.1) is collected")
check(not any("/var/log/nova/" in m for m in members(tarballs[1])),
      "the destination's log, which never names the instance, is left out")
check(not any(m.startswith("kvm-b03/var/log/nova/nova-compute.log.2")
              or m == "kvm-b03/var/log/nova/nova-compute.log" for m in src_members),
      "rotations that do not name the instance are left out")
check(f"kvm-b03/var/log/libvirt/qemu/{DOM}.log" in src_members
      and "kvm-b03/var/log/libvirt/qemu/instance-00000700.log" not in src_members,
      "the instance's QEMU log only")
check(f"kvm-b03/captures/domjobinfo-{DOM}.txt" in src_members
      and f"kvm-b03/captures/virsh-dumpxml-{DOM}.xml" in src_members,
      "dumpxml and the domjobinfo loop on the host that runs the domain")
check(not any("domjobinfo" in m for m in members(tarballs[1])),
      "no domjobinfo where the domain is not (its failure is in collect.log)")
check(all(m.startswith(n + "/") for t, n in zip(tarballs, ("kvm-b03", "kvm-b08"))
          for m in members(t)), "one host folder per tarball, named by hostname")
with tarfile.open(tarballs[0]) as t:
    everything = b"".join(t.extractfile(m).read() for m in t.getmembers() if m.isfile())
    opts = t.extractfile("kvm-b03/captures/nova-conf-options.txt").read().decode()
    log = t.extractfile("kvm-b03/collect.log").read().decode()
check(SECRET.encode() not in everything, "no secret of nova.conf anywhere in the tarball")
for t in tarballs:
    with tarfile.open(t) as tf:
        empty = [m.name for m in tf.getmembers() if m.isfile() and m.size == 0]
    check(not empty, f"no empty file in {os.path.basename(t)} (a failed step is in collect.log): {empty}")
check("[libvirt]" in opts and "live_migration_completion_timeout = 150" in opts
      and "cpu_mode = host-model" in opts and "host = kvm-b03.example.org" in opts
      and "***@%s/system" in opts, f"the options an analysis reads are kept:\n{opts}")
check("transport_url" not in opts and "password" not in opts and "connection" not in opts,
      "transport_url, passwords and the database URL are dropped")
check("not needed: /var/log/nova/nova-compute.log.2.gz" in log, "collect.log says what it left out")

# The same hosts' files as a bundle folder: what analyze should see.
ref = os.path.join(WORK, "ref")
for name in ("kvm-b03", "kvm-b08"):
    sample_host = os.path.join(SAMPLE, name)
    if name == "kvm-b03":  # kvm-b08's only nova line is another image's cache warning
        os.makedirs(f"{ref}/{name}/var/log/nova", exist_ok=True)
        shutil.copy2(os.path.join(sample_host, "var/log/nova/nova-compute.log"),
                     f"{ref}/{name}/var/log/nova/nova-compute.log.1")
    os.makedirs(f"{ref}/{name}/var/log/libvirt/qemu", exist_ok=True)
    shutil.copy2(os.path.join(sample_host, "var/log/libvirt/qemu", DOM + ".log"),
                 f"{ref}/{name}/var/log/libvirt/qemu/{DOM}.log")
blocks = "".join(f"{d}\n$ virsh domjobinfo {DOM}\n" + "\n".join(b) + "\n\n"
                 for d, b in samples[:3])
write(f"{ref}/kvm-b03/captures/domjobinfo-{DOM}.txt", blocks)
write(f"{ref}/kvm-b03/captures/virsh-list-all.txt", VIRSH_LIST)
write(f"{ref}/kvm-b08/captures/virsh-list-all.txt", " Id   Name   State\n--------------------\n\n")

want = analyze(ref)
got = analyze(*tarballs)


collect_log_warnings = []


def normalised(report, drop_collector_files, ref_root=None):
    text = json.dumps(report, sort_keys=True)
    text = re.sub(r'[^"\s(]*migsleuth-collect-[^"!\s]*\.tar\.gz!', '', text)
    text = text.replace((ref_root or ref) + "/", "")
    # The attribution says the folder was found inside an archive: a fact of
    # the path, like the path itself.
    text = text.replace("' inside the archive", "'")
    r = json.loads(text)
    if drop_collector_files:
        kept = []
        for i in r["inputs"]:
            own = i["kind"] == "unrecognized" and (
                i["path"].endswith("collect.log") or "/captures/" in i["path"]
                or "/journal/" in i["path"])
            archive = i["path"].endswith(".tar.gz")
            if own and i["path"].endswith("collect.log"):
                # collect.log is read for the collection's gaps, never searched for causes.
                check(i["skipped_lines"] == 0 and "collect's own log" in i["kind_reason"]
                      and all(w.startswith(("collection gap: ", "collection step failed: "))
                              for w in i["warnings"]),
                      f"collect.log {i['path']} is read for its gaps only: {i['warnings']}")
                collect_log_warnings.extend(i["warnings"])
            elif own:
                check(i["lines"] == i["skipped_lines"] and not i["warnings"],
                      f"collector file {i['path']} is listed and read for nothing")
            if not own and not archive:
                kept.append(i)
        r["inputs"] = kept
    r["inputs"].sort(key=lambda i: i["path"])  # a tar's member order, a folder's walk order
    return r


def same_report(w, g, what):
    for key in sorted(set(w) | set(g)):
        same = w.get(key) == g.get(key)
        check(same, f"{what}: report section '{key}' is the same from the tarballs as from "
                    "the folder")
        if not same:
            import difflib
            print("\n".join(difflib.unified_diff(
                json.dumps(w.get(key), indent=1, sort_keys=True).splitlines(),
                json.dumps(g.get(key), indent=1, sort_keys=True).splitlines(),
                "from the folder", "from the tarballs", lineterm="")))


w, g = normalised(want, False), normalised(got, True)
same_report(w, g, "plain")
check(g["incidents"] and g["incidents"][0]["classification"] == "non_convergence",
      "the verdict is the sample's (non_convergence)")
check(any(w.startswith("collection gap: no domain of") for w in collect_log_warnings),
      f"the destination's collect.log gap (no domain there now) is a warning: {collect_log_warnings}")
check(not any("collect.log" in e.get("path", "") for f in got.get("findings", [])
              for e in f.get("evidence", [])), "no finding is made of collect.log's lines")

# --- a window instead of an instance: files by modification time ----------
script_w = os.path.join(WORK, "collect-window.sh")
subprocess.run([BIN, "collect", "--since", "2024-02-13 09:00", "--until", "2024-02-13 10:00",
                "--job-samples", "1", "-o", script_w], check=True)
root, fakes, _ = fake_host("kvm-b08", False)
tw = collect(script_w, "kvm-b08", root, fakes, os.path.join(WORK, "out-window"))
mw = members(tw) if tw else []
check("kvm-b08/var/log/nova/nova-compute.log.1" in mw, "window: the rotation written in it")
check("kvm-b08/var/log/nova/nova-compute.log" in mw,
      "window: the current log (its lines start after .1's last write, inside the window)")
check("kvm-b08/var/log/nova/nova-compute.log.2.gz" not in mw,
      "window: the .2.gz last written before the window is left out")
check(f"kvm-b08/var/log/libvirt/qemu/{DOM}.log" in mw
      and "kvm-b08/var/log/libvirt/qemu/instance-00000700.log" not in mw,
      "window: QEMU logs written in it")

# --- kolla: the sample's own bundle is the host tree -------------------------
# Each host's root is the sample's host folder as it is (var/log/kolla/...);
# docker runs the fake virsh, which finds no running domain (the attempt is
# over). The tarballs must analyse to the sample bundle's own report, its
# deployment (kolla, from var/log/kolla/ inside the tarball) included.
KOLLA = os.path.join(SRC, "samples", "non-convergence-timeout-kolla", "bundle")
KOLLA_UUID = "e88b7591-31db-4e32-98dc-b35f94c662cd"
script_k = os.path.join(WORK, "collect-kolla.sh")
subprocess.run([BIN, "collect", "--deployment", "kolla", "--instance", KOLLA_UUID, "-o",
                script_k], check=True)
kolla_tars = []
for name in sorted(os.listdir(KOLLA)):
    base = os.path.join(WORK, "kolla", name)
    root, fakes = os.path.join(base, "root"), os.path.join(base, "bin")
    shutil.copytree(os.path.join(KOLLA, name), root)
    write(f"{root}/etc/kolla/nova-compute/nova.conf", NOVA_CONF.replace("kvm-b03", name))
    os.makedirs(fakes)
    for tool, body in {
        "hostname": f"echo {name}\n",
        "timedatectl": "echo '                Time zone: Etc/UTC (UTC, +0000)'\n",
        "journalctl": "echo '-- No entries --'\n",
        "date": 'case "${2:-}" in +*) echo 20240213T092000Z ;; '
                "*) echo 'Tue Mar 12 10:00:00 UTC 2024' ;; esac\n",
        "docker": '[ "$1" = ps ] && { printf "nova_compute\\nnova_libvirt\\n"; exit 0; }\n'
                  '[ "$1" = exec ] || exit 1\nshift 2\nexec "$@"\n',
        "virsh": "echo \"error: failed to connect to the hypervisor\" >&2\nexit 1\n",
    }.items():
        write(os.path.join(fakes, tool), "#!/bin/sh\n" + body)
        os.chmod(os.path.join(fakes, tool), 0o755)
    t = collect(script_k, name, root, fakes, os.path.join(base, "out"))
    if t:
        kolla_tars.append(t)
        check(any(m.startswith(f"{name}/var/log/kolla/nova/nova-compute.log") for m in members(t)),
              f"kolla {name}: nova's log from /var/log/kolla/nova/")
        with tarfile.open(t) as tf:
            log = tf.extractfile(f"{name}/collect.log").read().decode()
        check("ran: docker exec nova_libvirt virsh -r list --all" in log
              and "failed (exit 1)" in log, f"kolla {name}: virsh ran in nova_libvirt, its "
                                            "failure recorded")
kw = normalised(analyze(KOLLA), False, KOLLA)
kg = normalised(analyze(*kolla_tars), True)
same_report(kw, kg, "kolla")
check([d["name"] for d in kg["deployments"]] == ["kolla", "kolla"],
      "kolla: analyze sees the collected hosts as kolla")

# --- the controller: openstack -f json captures ------------------------------
# The fake openstack prints the sample network-port-binding-failed's captures
# (and another sample's hypervisor show). The tarball, next to the sample's
# compute folders, must analyse as the same captures in a controller folder.
PBF = os.path.join(SRC, "samples", "network-port-binding-failed", "bundle")
PBF_UUID = "afbf5e89-14f0-4ed2-a3db-960efe4d8b3a"
PORT = "daf62437-272f-468c-be63-f393033a666b"
HV = "nova-cmp-21.dc1.example.org"
HV_JSON = os.path.join(SRC, "samples", "cpu-precheck-facts", "bundle", "controller",
                       "hypervisor-show-cmp-a.json")
base = os.path.join(WORK, "controller")
fakes = os.path.join(base, "bin")
os.makedirs(fakes)
ctl = os.path.join(PBF, "controller")
fake_openstack = f'''args="$*"
case $args in
  *"server show {PBF_UUID} -f json") cat "{ctl}/server-show.json" ;;
  *"server show {PBF_UUID} -f value -c OS-EXT-SRV-ATTR:hypervisor_hostname") echo {HV} ;;
  "--os-compute-api-version 2.59 server migration list --server {PBF_UUID} -f json")
    cat "{ctl}/migration-list.json" ;;
  *"server migration list --server {PBF_UUID} -f value -c Source Node -c Dest Node")
    echo "{HV} None" ;;
  "hypervisor show {HV} -f json") cat "{HV_JSON}" ;;
  "hypervisor show "*) echo "No hypervisor with a name or ID of '$3' exists." >&2; exit 1 ;;
  "port list --server {PBF_UUID} -f value -c ID") echo {PORT} ;;
  "port show {PORT} -f json") cat "{ctl}/port-show-daf62437.json" ;;
  *) echo "openstack: unexpected: $args" >&2; exit 2 ;;
esac
'''
for tool, body in {"hostname": "echo controller\n",
                   "date": 'case "${2:-}" in +*) echo 20240213T092000Z ;; '
                           "*) echo 'Tue Feb 11 10:00:00 UTC 2025' ;; esac\n",
                   "openstack": fake_openstack}.items():
    write(os.path.join(fakes, tool), "#!/bin/sh\n" + body)
    os.chmod(os.path.join(fakes, tool), 0o755)
script_c = os.path.join(WORK, "collect-controller.sh")
subprocess.run([BIN, "collect", "--controller", "--instance", PBF_UUID, "-o", script_c],
               check=True)
tc = collect(script_c, "controller", os.path.join(base, "root"), fakes, os.path.join(base, "out"))
mc = members(tc) if tc else []
want_members = {f"controller/captures/server-show-{PBF_UUID}.json",
                f"controller/captures/migration-list-{PBF_UUID}.json",
                f"controller/captures/hypervisor-show-{HV}.json",
                f"controller/captures/port-show-{PORT}.json"}
check(want_members <= set(mc), f"controller: the four captures ({sorted(mc)})")
check(not any("hypervisor-show-None" in m for m in mc), "controller: a null Dest Node is no name")
# The reference: the sample's compute folders and its captures in a controller
# folder under the collector's names (not its conductor log, which the
# controller script does not gather).
cref = os.path.join(base, "ref")
for name in ("nova-cmp-21", "nova-cmp-34"):
    shutil.copytree(os.path.join(PBF, name), os.path.join(cref, name))
for src, dst in (("server-show.json", f"server-show-{PBF_UUID}.json"),
                 ("migration-list.json", f"migration-list-{PBF_UUID}.json"),
                 ("port-show-daf62437.json", f"port-show-{PORT}.json")):
    os.makedirs(os.path.join(cref, "controller", "captures"), exist_ok=True)
    shutil.copy2(os.path.join(ctl, src), os.path.join(cref, "controller", "captures", dst))
shutil.copy2(HV_JSON, os.path.join(cref, "controller", "captures", f"hypervisor-show-{HV}.json"))
computes = [os.path.join(cref, n) for n in ("nova-cmp-21", "nova-cmp-34")]
cw = normalised(analyze(cref), False, cref)
cg = normalised(analyze(*computes, tc), True, cref)
same_report(cw, cg, "controller")
kinds = sorted(i["kind"] for i in cg["inputs"] if i["path"].startswith("controller/"))
check(kinds == ["cpu-info", "migration-list", "port-show", "server-show"],
      f"controller: each capture read as its kind ({kinds})")

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
