"""Corpora of the shapes operators hand over besides one tidy tree (issue 20),
written deterministically by bench/gen_bundle.py:

- sosfleet: 8 sosreport-shaped hosts; per host 4 nova-compute files (.log to
  .log.3, sizes spread 0.65-1.2 x), half under var/log/nova, half under
  var/log/containers/nova (kolla); DEBUG on, so power-state sync ("Triggering
  sync for uuid" for each of 600 instances per host), the resource tracker and
  the info-cache healing fill most lines; instances spawned and deleted all
  along; 160 live migrations (40 failed) at 1 GiB, in proportion otherwise;
  one QEMU log per instance (4,800 at the start, one more per spawn; most
  never migrate); 166 domjobinfo
  captures.
- sostar-xz / sostar-gz: the same fleet, each host packed as a sosreport
  tarball (sosreport-<host>-<date>.tar.xz / .tar.gz).
- million: `--files` tiny nova-compute logs (3 lines each) in 10 folders.
- megaline: one nova-compute log of 1 MiB ERROR lines about one migrating
  instance (a failed attempt whose failure line is a megabyte long).
"""
import os
import subprocess
import tarfile

from gen_bundle import HostLog, migration, uid

SYNC_DEBUG = ("Triggering sync for uuid {uuid} _sync_power_states "
              "/usr/lib/python3/dist-packages/nova/compute/manager.py:9996")
SYNC_HEAD = ("While synchronizing instance power states, found {n} instances in the database "
             "and {n} instances on the hypervisor.")
TRACKER = [
    "Auditing locally available compute resources for {host} (node: {host}) update_available_resource /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:907",
    "Hypervisor/Node resource view: name={host} free_ram=301240MB free_disk=1610GB free_vcpus=36 pci_devices=[] _report_hypervisor_resource_view /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:1046",
    "Final resource view: name={host} phys_ram=385401MB used_ram=24576MB phys_disk=1787GB used_disk=120GB total_vcpus=48 used_vcpus=4 pci_stats=[] _report_final_resource_view /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:1069",
    "Lock \"compute_resources\" acquired by \"nova.compute.resource_tracker.ResourceTracker._update_available_resource\" :: waited 0.000s inner /usr/lib/python3/dist-packages/oslo_concurrency/lockutils.py:390",
]
PER_INSTANCE = [
    "Instance {uuid} actively managed on this compute host and has allocations in placement: {{'resources': {{'VCPU': 2, 'MEMORY_MB': 4096, 'DISK_GB': 40}}}}. _remove_deleted_instances_allocations /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:1664",
]
HEAL = ("Updated the network info_cache for instance _heal_instance_info_cache "
        "/usr/lib/python3/dist-packages/nova/compute/manager.py:9904")
SPAWN = ["Attempting claim on node {host}: memory 4096 MB, disk 40 GB, vcpus 2 CPU",
         "Claim successful on node {host}", "Creating image(s)", "VM Started (Lifecycle Event)",
         "Took 9.87 seconds to spawn the instance on the hypervisor.",
         "Took 11.02 seconds to build instance."]
DELETE = ["Terminating instance", "Instance destroyed successfully.",
          "Deleting instance files /var/lib/nova/instances/{uuid}_del",
          "Took 1.21 seconds to destroy the instance on the hypervisor."]
FAILED_KINDS = ["network", "cpu", "tls", "storage"]
FLEET_HOSTS = 8
ROTATIONS = 4
INSTANCES = 600
DOMJOBINFO = 166


def qemu_start(stamp, host, domain, instance):
    return (f"{stamp}+0000: starting up libvirt version: 9.0.0, qemu version: 7.2.0, kernel: "
            f"6.1.0-18-amd64, hostname: {host}\nLC_ALL=C \\\n-name guest={domain},debug-threads=on "
            f"\\\n-uuid {instance} \\\n-msg timestamp=on\nchar device redirected to /dev/pts/3 "
            f"(label charserial0)\n")


def fleet(rng, out, size_mb):
    """Writes the sos fleet under `out`; returns the host folders."""
    hosts = [f"sosreport-cmp-{i:02d}" for i in range(FLEET_HOSTS)]
    names = [f"cmp-{i:02d}.example.net" for i in range(FLEET_HOSTS)]
    per_host = size_mb * 1024 * 1024 // FLEET_HOSTS
    migrations = max(4, round(160 * size_mb / 1024))
    inst = {h: [(uid(rng), f"instance-{rng.getrandbits(24):08x}") for _ in range(INSTANCES)]
            for h in hosts}
    logs, qemu = {}, {}
    for i, h in enumerate(hosts):
        base = os.path.join(out, h)
        sub = ("var", "log", "nova") if i % 2 == 0 else ("var", "log", "containers", "nova")
        os.makedirs(os.path.join(base, *sub), exist_ok=True)
        qemu[h] = os.path.join(base, "var", "log", "libvirt", "qemu")
        os.makedirs(qemu[h], exist_ok=True)
        os.makedirs(os.path.join(base, "sos_commands", "host"), exist_ok=True)
        with open(os.path.join(base, "sos_commands", "host", "hostname"), "w") as f:
            f.write(names[i] + "\n")
        logs[h] = HostLog(os.path.join(base, *sub, "nova-compute.log"), names[i], 3000 + i,
                          skew=(i % 3) * 3.0)
        for u, d in inst[h]:
            with open(os.path.join(qemu[h], f"{d}.log"), "w", encoding="ascii") as q:
                q.write(qemu_start("2024-03-01 00:00:01.000", names[i], d, u))
    # Migrations spread evenly over the written bytes; every fourth one fails.
    budget = per_host * FLEET_HOSTS
    due = [budget * (k + 0.5) / migrations for k in range(migrations)]
    done, t, tick, jobs = 0, 3600.0, 0, 0
    written = 0
    while written < budget:
        for hi, h in enumerate(hosts):
            log = logs[h]
            if tick % 600 == hi:  # power-state sync: one line per instance
                log.line(t, "WARNING", "nova.compute.manager", "req-" + uid(rng),
                         SYNC_HEAD.format(n=INSTANCES))
                req = "req-" + uid(rng)
                for u, _ in inst[h]:
                    log.line(t, "DEBUG", "nova.compute.manager", req, SYNC_DEBUG.format(uuid=u))
            r = rng.random()
            req = "req-" + uid(rng)
            if r < 0.40:
                log.line(t, "DEBUG", "nova.compute.resource_tracker", req,
                         rng.choice(TRACKER).format(host=log.host))
            elif r < 0.70:
                u, _ = rng.choice(inst[h])
                log.line(t, "DEBUG", "nova.compute.resource_tracker", req,
                         PER_INSTANCE[0].format(uuid=u))
            elif r < 0.90:
                u, _ = rng.choice(inst[h])
                log.line(t, "DEBUG", "nova.compute.manager", req, HEAL, u)
            elif r < 0.901:  # churn: one instance deleted, a new one spawned in its place
                k = rng.randrange(INSTANCES)
                u, d = inst[h][k]
                for m in DELETE:
                    log.line(t, "INFO", "nova.compute.manager", req, m.format(uuid=u), u)
                u, d = uid(rng), f"instance-{rng.getrandbits(24):08x}"
                inst[h][k] = (u, d)
                for m in SPAWN:
                    log.line(t, "INFO", "nova.compute.claims", req, m.format(host=log.host), u)
                with open(os.path.join(qemu[h], f"{d}.log"), "w", encoding="ascii") as q:
                    q.write(qemu_start("2024-03-02 00:00:01.000", log.host, d, u))
            else:
                u, _ = rng.choice(inst[h])
                log.line(t, "INFO", "nova.compute.manager", None, "VM Resumed (Lifecycle Event)", u)
            t += 0.02
        tick += 1
        written = sum(lg.bytes for lg in logs.values())
        while done < migrations and written >= due[done]:
            a, b = rng.sample(range(FLEET_HOSTS), 2)
            u, d = rng.choice(inst[hosts[a]])
            kind = FAILED_KINDS[done // 4 % 4] if done % 4 == 3 else "ok"
            migration(rng, logs[hosts[a]], logs[hosts[b]], t, u, d, kind, qemu[hosts[b]])
            if jobs < DOMJOBINFO * migrations // 160:
                capture = os.path.join(out, hosts[a], "sos_commands", "libvirt")
                os.makedirs(capture, exist_ok=True)
                with open(os.path.join(capture, f"domjobinfo-{d}.txt"), "w") as f:
                    f.write(f"$ virsh domjobinfo {d}\nJob type:         Unbounded\nOperation:"
                            f"        Outgoing migration\nTime elapsed:     {1000 + done} ms\n"
                            "Data processed:   1.012 GiB\nData remaining:   2.317 GiB\n"
                            "Data total:       4.017 GiB\n")
                jobs += 1
            done += 1
    for lg in logs.values():
        lg.f.close()
    for lg in logs.values():
        rotate_spread(lg.f.name, rng)
    return [os.path.join(out, h) for h in hosts]


def rotate_spread(path, rng):
    """Cuts one log into .log (newest) to .log.3 of unequal sizes (0.65-1.2 x)."""
    with open(path, "rb") as f:
        data = f.read()
    weights = [0.65 + 0.55 * rng.random() for _ in range(ROTATIONS)]
    total, pos, cuts = sum(weights), 0, []
    for w in weights[:-1]:
        pos += int(len(data) * w / total)
        cuts.append(data.find(b"\n", pos) + 1)
    bounds = [0] + cuts + [len(data)]
    pieces = [data[bounds[k]:bounds[k + 1]] for k in range(ROTATIONS)]
    for n, piece in enumerate(reversed(pieces)):
        with open(path if n == 0 else f"{path}.{n}", "wb") as f:
            f.write(piece)


def pack_hosts(folders, compression):
    """Each host folder becomes sosreport-<host>-2024-03-05.tar.<ext>, folder removed."""
    ext = {"xz": "xz", "gz": "gz"}[compression]
    for folder in folders:
        name = os.path.basename(folder) + "-2024-03-05"
        plain = folder + ".tar"
        with tarfile.open(plain, "w", format=tarfile.GNU_FORMAT) as tar:
            for d, subdirs, files in os.walk(folder):
                subdirs.sort()
                for f in sorted(files):
                    full = os.path.join(d, f)
                    info = tar.gettarinfo(full, os.path.join(name, os.path.relpath(full, folder)))
                    info.mtime, info.uid, info.gid, info.uname, info.gname = 1709600000, 0, 0, "", ""
                    with open(full, "rb") as src:
                        tar.addfile(info, src)
        tool = ["xz", "-1", "-T1", "-f"] if compression == "xz" else ["gzip", "-6", "-n", "-f"]
        subprocess.run(tool + [plain], check=True)
        os.rename(f"{plain}.{ext}", os.path.join(os.path.dirname(folder), f"{name}.tar.{ext}"))
        subprocess.run(["rm", "-rf", folder], check=True)


def million(rng, out, files):
    """`files` tiny nova-compute logs in 10 folders (one per host): periodic
    DEBUG chatter, a line about an instance (INFO, no event) in every tenth."""
    per = -(-files // 10)
    for h in range(10):
        d = os.path.join(out, f"cmp-{h:02d}", "var", "log", "nova")
        os.makedirs(d, exist_ok=True)
        for k in range(min(per, files - h * per)):
            u = uid(rng)
            stamp = f"2024-03-05 10:{k // 60 % 60:02d}:{k % 60:02d}.000 {2000 + h}"
            s = "".join(f"{stamp} DEBUG nova.compute.resource_tracker [req-{u} - - - - -] "
                        f"{m.format(host=f'cmp-{h:02d}')}\n" for m in TRACKER[:3])
            if k % 10 == 0:
                s += (f"{stamp} INFO nova.compute.manager [req-{u} - - - - -] [instance: {u}] "
                      "Took 9.87 seconds to spawn the instance on the hypervisor.\n")
            with open(os.path.join(d, f"nova-compute.log.part{k:06d}"), "w") as f:
                f.write(s)


def megaline(rng, out, size_mb, line_bytes=1 << 20):
    """One log: a migration start, then 1 MiB ERROR failure lines about it."""
    d = os.path.join(out, "cmp-a", "var", "log", "nova")
    os.makedirs(d, exist_ok=True)
    u, req = uid(rng), "req-" + uid(rng)
    with open(os.path.join(d, "nova-compute.log"), "w", encoding="ascii") as f:
        f.write(f"2024-03-05 10:12:40.000 2211 DEBUG nova.virt.libvirt.driver [{req} - - - - -] "
                f"[instance: {u}] Starting monitoring of live migration _live_migration "
                "/usr/lib/python3/dist-packages/nova/virt/libvirt/driver.py:9659\n")
        filler = ("Connection refused " * (line_bytes // 19 + 1))
        for i in range(size_mb * (1 << 20) // line_bytes):
            head = (f"2024-03-05 10:{13 + i // 3600 % 40:02d}:{i // 60 % 60:02d}.{i % 60:03d} 2211 "
                    f"ERROR nova.virt.libvirt.driver [{req} - - - - -] [instance: {u}] Live "
                    "Migration failure: operation failed: Failed to connect to remote libvirt "
                    "URI qemu+tcp://cmp-b/system: unable to connect to server at 'cmp-b:16509': ")
            f.write(head + filler[:line_bytes - 1 - len(head)] + "\n")
