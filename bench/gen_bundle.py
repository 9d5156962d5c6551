#!/usr/bin/env python3
"""Deterministic generator of realistic migsleuth benchmark corpora.

    gen_bundle.py --out DIR --size-mb 1024 [--seed 1] [--hosts 4] [--variant plain]

Writes DIR/<host>/var/log/nova/nova-compute.log (+ rotated .1 .2 ...),
DIR/<host>/var/log/libvirt/qemu/instance-XXXXXXXX.log and
DIR/<host>/sos_commands/host/hostname for `--hosts` compute hosts: oslo.log lines
in the real formats of ../shared/reference/evidence.md (~300-byte lines, a
DEBUG/INFO/WARNING/ERROR mix, periodic-task noise, thousands of instance UUIDs,
tracebacks) with live migrations (successful and failed across classes) whose
two halves sit on the two hosts involved, the destination clock skewed.
The same seed and size give identical bytes.

Variants: plain (the tree), gzip / zstd / xz (every log compressed, via the
system tools), concat (one large file), tiny (20,000 small files); the shapes
of bench/gen_shapes.py: sosfleet (8 sosreport hosts, 4,800 QEMU logs),
sostar-xz / sostar-gz (the same, one sosreport tarball per host), million
(`--files` tiny files, 1,000,000 by default), megaline (1 MiB lines).
"""
import argparse
import os
import random
import subprocess
import uuid as uuidlib

PERIODIC = [
    "Running periodic task ComputeManager._poll_rebooting_instances run_periodic_tasks /usr/lib/python3/dist-packages/oslo_service/periodic_task.py:210",
    "Running periodic task ComputeManager._instance_usage_audit run_periodic_tasks /usr/lib/python3/dist-packages/oslo_service/periodic_task.py:210",
    "Running periodic task ComputeManager.update_available_resource run_periodic_tasks /usr/lib/python3/dist-packages/oslo_service/periodic_task.py:210",
    "Auditing locally available compute resources for {host} (node: {host}) update_available_resource /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:907",
    "Hypervisor/Node resource view: name={host} free_ram=301240MB free_disk=1610GB free_vcpus=36 pci_devices=[] _report_hypervisor_resource_view /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:1046",
    "Final resource view: name={host} phys_ram=385401MB used_ram=24576MB phys_disk=1787GB used_disk=120GB total_vcpus=48 used_vcpus=4 pci_stats=[] _report_final_resource_view /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:1069",
    "Acquiring lock \"compute_resources\" by \"nova.compute.resource_tracker.ResourceTracker._update_available_resource\" inner /usr/lib/python3/dist-packages/oslo_concurrency/lockutils.py:386",
    "Lock \"compute_resources\" released by \"nova.compute.resource_tracker.ResourceTracker._update_available_resource\" :: held 0.071s inner /usr/lib/python3/dist-packages/oslo_concurrency/lockutils.py:400",
]
INSTANCE_DEBUG = [
    "Triggering sync for uuid {uuid} _sync_power_states /usr/lib/python3/dist-packages/nova/compute/manager.py:9996",
    "Updating instance_info_cache with network_info: [{{\"id\": \"{port}\", \"address\": \"fa:16:3e:{mac}\", \"network\": {{\"label\": \"private\"}}}}] update_instance_cache_with_nw_info /usr/lib/python3/dist-packages/nova/network/neutron.py:117",
    "Instance {uuid} actively managed on this compute host and has allocations in placement: {{'resources': {{'VCPU': 2, 'MEMORY_MB': 4096, 'DISK_GB': 40}}}}. _remove_deleted_instances_allocations /usr/lib/python3/dist-packages/nova/compute/resource_tracker.py:1664",
]
INSTANCE_INFO = [
    "VM Started (Lifecycle Event)",
    "VM Resumed (Lifecycle Event)",
    "During sync_power_state the instance has a pending task (spawning). Skip.",
    "Took 12.41 seconds to build instance.",
]
WARNINGS = [
    "Received unexpected event network-vif-plugged-{port} for instance with vm_state active and task_state None.",
    "Timeout waiting for [('network-vif-plugged', '{port}')] for instance with vm_state building and task_state spawning: eventlet.timeout.Timeout: 300 seconds",
]
TRACEBACK = [
    "Traceback (most recent call last):",
    "  File \"/usr/lib/python3/dist-packages/nova/compute/manager.py\", line 2630, in _build_and_run_instance",
    "    self.driver.spawn(context, instance, image_meta,",
    "  File \"/usr/lib/python3/dist-packages/nova/virt/libvirt/driver.py\", line 4406, in spawn",
    "    self._create_guest_with_network(",
    "nova.exception.VirtualInterfaceCreateException: Virtual Interface creation failed",
]
FAILURES = [
    ("network", "Live Migration failure: operation failed: Failed to connect to remote libvirt URI qemu+tcp://{dest}/system: unable to connect to server at '{dest}:16509': Connection refused: libvirt.libvirtError: operation failed: Failed to connect to remote libvirt URI qemu+tcp://{dest}/system: unable to connect to server at '{dest}:16509': Connection refused"),
    ("cpu", "Live Migration failure: operation failed: guest CPU doesn't match specification: missing features: avx512vnni,avx512bw: libvirt.libvirtError: operation failed: guest CPU doesn't match specification: missing features: avx512vnni,avx512bw"),
    ("tls", "Live Migration failure: operation failed: job 'migration out' failed: Certificate does not match the hostname {dest}: libvirt.libvirtError: operation failed: job 'migration out' failed: Certificate does not match the hostname {dest}"),
    ("storage", "Live Migration failure: Unsafe migration: Migration may lead to data corruption if disks use cache other than none or directsync: libvirt.libvirtError: Unsafe migration: Migration may lead to data corruption if disks use cache other than none or directsync"),
]


class HostLog:
    def __init__(self, path, host, pid, skew):
        self.f = open(path, "w", encoding="ascii")
        self.host, self.pid, self.skew = host, pid, skew
        self.bytes = 0

    def line(self, t, level, logger, req, msg, instance=None, cont=False):
        ts = t + self.skew
        hh, rem = divmod(int(ts) % 86400, 3600)
        day = 1 + int(ts) // 86400
        stamp = f"2024-03-{day:02d} {hh:02d}:{rem // 60:02d}:{rem % 60:02d}.{int(ts * 1000) % 1000:03d}"
        ctx = "" if cont else (f"[{req} - - - - -] " if req else "[-] ")
        inst = f"[instance: {instance}] " if instance else ""
        s = f"{stamp} {self.pid} {level} {logger} {ctx}{inst}{msg}\n"
        self.f.write(s)
        self.bytes += len(s)


def uid(rng):
    return str(uuidlib.UUID(int=rng.getrandbits(128), version=4))


def migration(rng, src, dst, t, instance, domain, kind, qemu_dir):
    req = "req-" + uid(rng)
    dst.line(t, "DEBUG", "nova.compute.manager", req, "pre_live_migration data is LibvirtLiveMigrateData(bdms=[],block_migration=False,is_shared_instance_path=False) pre_live_migration /usr/lib/python3/dist-packages/nova/compute/manager.py:8017", instance)
    dst.line(t + 1.2, "DEBUG", "nova.compute.manager", req, "pre_live_migration result data is LibvirtLiveMigrateData(bdms=[],block_migration=False) pre_live_migration /usr/lib/python3/dist-packages/nova/compute/manager.py:8070", instance)
    src.line(t + 1.5, "DEBUG", "nova.virt.libvirt.driver", req, "Starting monitoring of live migration _live_migration /usr/lib/python3/dist-packages/nova/virt/libvirt/driver.py:9659", instance)
    src.line(t + 1.6, "DEBUG", "nova.virt.libvirt.driver", req, "About to invoke the migrate API _live_migration_operation /usr/lib/python3/dist-packages/nova/virt/libvirt/driver.py:9263", instance)
    ts = t + 1.8 + dst.skew
    hh, rem = divmod(int(ts) % 86400, 3600)
    stamp = f"2024-03-{1 + int(ts) // 86400:02d} {hh:02d}:{rem // 60:02d}:{rem % 60:02d}.{int(ts * 1000) % 1000:03d}"
    with open(os.path.join(qemu_dir, f"{domain}.log"), "a", encoding="ascii") as q:
        q.write(f"{stamp}+0000: starting up libvirt version: 9.0.0, qemu version: 7.2.0, kernel: 6.1.0-18-amd64, hostname: {dst.host}\nLC_ALL=C \\\n-name guest={domain},debug-threads=on \\\n-uuid {instance} \\\n-incoming defer \\\n-msg timestamp=on\n")
    if kind == "ok":
        for i, pct in enumerate((80, 52, 21, 3)):
            src.line(t + 2 + 5 * i, "INFO", "nova.virt.libvirt.migration", req, f"Migration running for {5 * i} secs, memory {pct}% remaining (bytes processed={(100 - pct) * 42949672}, remaining={pct * 42949672}, total=4294967296); disk 0% remaining (bytes processed=0, remaining=0, total=0).", instance)
        src.line(t + 22, "INFO", "nova.virt.libvirt.driver", None, "Migration operation has completed", instance)
        src.line(t + 22.1, "INFO", "nova.compute.manager", None, "_post_live_migration() is started..", instance)
        dst.line(t + 23, "INFO", "nova.compute.manager", req, "Post operation of migration started", instance)
        src.line(t + 24, "INFO", "nova.compute.manager", req, f"Migrating instance to {dst.host} finished successfully.", instance)
    else:
        msg = dict(FAILURES)[kind].format(dest=dst.host)
        src.line(t + 2.5, "ERROR", "nova.virt.libvirt.driver", req, msg, instance)
        src.line(t + 2.9, "ERROR", "nova.virt.libvirt.driver", req, "Migration operation has aborted", instance)
        dst.line(t + 3.5, "INFO", "nova.virt.libvirt.driver", req, "Instance destroyed successfully.", instance)
    src.line(t + 25, "DEBUG", "nova.virt.libvirt.driver", req, "Live migration monitoring is all done _live_migration /usr/lib/python3/dist-packages/nova/virt/libvirt/driver.py:9675", instance)


def generate(out, size_mb, seed, nhosts, rotate_mb=256):
    rng = random.Random(seed)
    hosts = [f"cmp-{i:02d}" for i in range(nhosts)]
    instances = {h: [(uid(rng), f"instance-{rng.getrandbits(24):08x}") for _ in range(500)] for h in hosts}
    logs, qemu = {}, {}
    for i, h in enumerate(hosts):
        base = os.path.join(out, h)
        os.makedirs(os.path.join(base, "var", "log", "nova"), exist_ok=True)
        qemu[h] = os.path.join(base, "var", "log", "libvirt", "qemu")
        os.makedirs(qemu[h], exist_ok=True)
        os.makedirs(os.path.join(base, "sos_commands", "host"), exist_ok=True)
        with open(os.path.join(base, "sos_commands", "host", "hostname"), "w") as f:
            f.write(h + "\n")
        logs[h] = HostLog(os.path.join(base, "var", "log", "nova", "nova-compute.log"), h, 2000 + i, skew=(i % 3) * 7.0)
    target = size_mb * 1024 * 1024
    t = 3600.0
    kinds = ["ok", "ok", "ok", "network", "cpu", "tls", "storage"]
    written = 0
    while written < target:
        for h in hosts:
            log = logs[h]
            inst, _ = rng.choice(instances[h])
            r = rng.random()
            req = "req-" + uid(rng)
            if r < 0.55:
                log.line(t, "DEBUG", "oslo_service.periodic_task", req, rng.choice(PERIODIC).format(host=h))
            elif r < 0.80:
                log.line(t, "DEBUG", "nova.compute.manager", req, rng.choice(INSTANCE_DEBUG).format(uuid=inst, port=uid(rng), mac="%02x:%02x:%02x" % (rng.getrandbits(8), rng.getrandbits(8), rng.getrandbits(8))), inst)
            elif r < 0.95:
                log.line(t, "INFO", "nova.compute.manager", None, rng.choice(INSTANCE_INFO), inst)
            elif r < 0.995:
                log.line(t, "WARNING", "nova.compute.manager", req, rng.choice(WARNINGS).format(port=uid(rng)), inst)
            else:
                log.line(t, "ERROR", "nova.compute.manager", req, "Instance failed to spawn", inst)
                for tl in TRACEBACK:
                    log.line(t, "ERROR", "nova.compute.manager", None, tl, inst, cont=True)
            t += 0.05
        if rng.random() < 0.0005:
            a, b = rng.sample(hosts, 2)
            inst, dom = rng.choice(instances[a])
            migration(rng, logs[a], logs[b], t, inst, dom, rng.choice(kinds), qemu[b])
        written = sum(l.bytes for l in logs.values())
    for l in logs.values():
        l.f.close()
    # Rotation: split each log into 256 MiB pieces, newest is .log, older .1 .2 ...
    for h in hosts:
        path = logs[h].f.name
        if os.path.getsize(path) <= rotate_mb * 1024 * 1024:
            continue
        with open(path, "rb") as f:
            data = f.read()
        chunks, step, pos = [], rotate_mb * 1024 * 1024, 0
        while pos < len(data):
            end = data.find(b"\n", min(pos + step, len(data) - 1)) + 1 or len(data)
            chunks.append(data[pos:end])
            pos = end
        for n, chunk in enumerate(reversed(chunks)):
            with open(path if n == 0 else f"{path}.{n}", "wb") as f:
                f.write(chunk)


TINY_FILES = 20000
SHAPES = ["sosfleet", "sostar-xz", "sostar-gz", "million", "megaline"]


def rotation(path):
    """nova-compute.log -> 0, nova-compute.log.3 -> 3."""
    tail = path.rsplit(".", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def variant(out, kind):
    logs = [os.path.join(d, f) for d, _, fs in os.walk(out) for f in fs if ".log" in f]
    if kind in ("gzip", "zstd", "xz"):
        tool = {"gzip": ["gzip", "-6"], "zstd": ["zstd", "-q", "--rm", "-3"], "xz": ["xz", "-1", "-T1"]}[kind]
        for p in logs:
            subprocess.run(tool + [p], check=True)
    elif kind == "concat":
        # Every host's nova-compute log (rotations oldest first) in one file,
        # as a central log collector would keep it; QEMU logs stay per domain.
        nova = sorted((p for p in logs if "nova-compute" in p),
                      key=lambda p: (p.split(os.sep + "var" + os.sep)[0], -rotation(p)))
        os.makedirs(os.path.join(out, "collector", "var", "log", "nova"), exist_ok=True)
        with open(os.path.join(out, "collector", "var", "log", "nova", "nova-compute.log"), "wb") as dst:
            for p in nova:
                with open(p, "rb") as src:
                    dst.write(src.read())
                os.remove(p)
    elif kind == "tiny":
        # 20,000 files in all, each log cut in proportion to its size (a large
        # nova-compute log into thousands of parts, a QEMU log stays whole).
        total = sum(os.path.getsize(p) for p in logs) or 1
        for p in sorted(logs):
            parts = max(1, round(TINY_FILES * os.path.getsize(p) / total))
            with open(p, "rb") as f:
                lines = f.readlines()
            os.remove(p)
            per = max(1, -(-len(lines) // parts))
            for i in range(0, len(lines), per):
                with open(f"{p}.part{i // per:05d}", "wb") as f:
                    f.writelines(lines[i:i + per])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--size-mb", type=int, default=1024)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hosts", type=int, default=4)
    ap.add_argument("--variant", default="plain", choices=["plain", "gzip", "zstd", "xz", "concat", "tiny"] + SHAPES)
    ap.add_argument("--files", type=int, default=1000000, help="files of the million variant")
    a = ap.parse_args()
    if a.variant in SHAPES:
        import gen_shapes  # noqa: E402 (it imports this module's writers)
        rng = random.Random(a.seed)
        if a.variant == "million":
            gen_shapes.million(rng, a.out, a.files)
        elif a.variant == "megaline":
            gen_shapes.megaline(rng, a.out, a.size_mb)
        else:
            hosts = gen_shapes.fleet(rng, a.out, a.size_mb)
            if a.variant.startswith("sostar-"):
                gen_shapes.pack_hosts(hosts, a.variant.split("-")[1])
        return
    generate(a.out, a.size_mb, a.seed, a.hosts)
    if a.variant != "plain":
        variant(a.out, a.variant)


if __name__ == "__main__":
    main()
