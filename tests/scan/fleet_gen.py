"""A generated fleet of bundles for the fleet-page tests (fleet_page.py).

Each bundle is a copy of a sample bundle (samples/<scenario>/bundle) with its
host names, instance UUIDs (and every other UUID: request ids) and dates
rewritten, consistently across the bundle's files, folder names included. The
lines stay the samples' real lines; only those identifiers change, so a copy
analyzes to the same story about other hosts, instances and days.
Python 3 stdlib only.
"""
import datetime
import gzip
import os
import re
import uuid

# Two-host scenarios whose dates are all ISO (nova, libvirtd, QEMU logs), so a
# date shift moves every line: failures of every class, unknown ones, a stuck attempt
# and successes.
TEMPLATES = [
    "network-port-refused", "cpu-precheck-dest", "storage-unsafe-fuse",
    "network-vif-plug-failed", "capacity-numa-claim-dest", "device-vfio-postcopy",
    "storage-disk-access-denied-dest", "unknown-libvirt-eof", "success-with-noise",
    "network-remote-libvirt-unresolved", "tls-certificate", "two-instances-two-causes",
    "capacity-hugepages-dest", "cpu-vendor-mismatch-skip-compare", "network-vif-plug-timeout",
    "clock-skew-40s", "non-convergence-stuck-progress", "non-convergence-multifd-postcopy",
    "postcopy-stall",
]

# A fleet of 14 computes in two racks.
FLEET_HOSTS = [f"cpt-r{r}-{n:02}" for r in (1, 2) for n in range(1, 8)]

DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?=[T ]\d\d:\d\d)")
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
NAMESPACE = uuid.UUID("6f1c2a44-0d5e-4b8e-9a51-3c7e2f90b1d2")


def bundle_files(root):
    for d, _, files in os.walk(root):
        for name in sorted(files):
            path = os.path.join(d, name)
            yield os.path.relpath(path, root), path


def read_text(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        return gzip.decompress(data).decode("utf-8", "surrogateescape"), True
    return data.decode("utf-8", "surrogateescape"), False


def first_date(bundle):
    dates = []
    for _, path in bundle_files(bundle):
        text, _ = read_text(path)
        dates += [datetime.date(int(y), int(m), int(d)) for y, m, d in DATE.findall(text)]
    return min(dates)


class Rewriter:
    """One bundle's substitutions: hosts (whole names), UUIDs, dates shifted by `days`."""

    def __init__(self, hosts, days, salt):
        # Longest first, whole names only: "cmp-a" must not eat "cmp-ab".
        self.hosts = sorted(hosts.items(), key=lambda kv: -len(kv[0]))
        self.host_re = [(re.compile(r"(?<![A-Za-z0-9-])" + re.escape(old) + r"(?![A-Za-z0-9-])"), new)
                        for old, new in self.hosts]
        self.days = datetime.timedelta(days=days)
        self.salt = salt

    def __call__(self, text):
        for pattern, new in self.host_re:
            text = pattern.sub(new, text)
        text = UUID.sub(lambda m: str(uuid.uuid5(NAMESPACE, f"{self.salt}/{m.group(0)}")), text)
        return DATE.sub(self._date, text)

    def _date(self, m):
        d = datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) + self.days
        return d.isoformat()


def copy_bundle(src, dest, rewrite):
    for rel, path in bundle_files(src):
        out = os.path.join(dest, rewrite(rel))
        os.makedirs(os.path.dirname(out), exist_ok=True)
        text, packed = read_text(path)
        data = rewrite(text).encode("utf-8", "surrogateescape")
        if packed:
            data = gzip.compress(data, mtime=0)
        with open(out, "wb") as f:
            f.write(data)


def make_fleet(samples, dest, count, start, span_days, name="fleet"):
    """`count` bundles under `dest`, attempts spread over `span_days` from `start`.

    Host pairs repeat (each source fails towards a few destinations), so the matrix
    has cells with several failures; templates cycle, so every class is there.
    Returns the bundle folder names."""
    os.makedirs(dest, exist_ok=True)
    firsts = {}
    names = []
    for n in range(count):
        scenario = TEMPLATES[n % len(TEMPLATES)]
        src = os.path.join(samples, scenario, "bundle")
        if scenario not in firsts:
            firsts[scenario] = first_date(src)
        originals = sorted(os.listdir(src))
        a = (n * 5) % len(FLEET_HOSTS)
        hosts = {}
        for k, old in enumerate(originals):
            hosts[old] = FLEET_HOSTS[(a + k * (1 + n % 3)) % len(FLEET_HOSTS)]
        day = start + datetime.timedelta(days=(n * 7) % span_days)
        rewrite = Rewriter(hosts, (day - firsts[scenario]).days, f"{name}-{n}")
        bundle = f"{name}-{n:04}-{scenario}"
        copy_bundle(src, os.path.join(dest, bundle), rewrite)
        names.append(bundle)
    return names
