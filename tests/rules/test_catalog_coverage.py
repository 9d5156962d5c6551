#!/usr/bin/env python3
"""scripts/catalog_coverage.py on a tiny nova tree: what its heuristic counts.

A migration-path LOG.error that the catalog has, a reason string raised as an
exception the catalog does not know (missing), the msg_fmt of that exception
class (classified), a resize string excluded.yaml lists (left out); a DEBUG
line and a LOG call outside the migration path are not candidates.

  test_catalog_coverage.py SCRIPT RULES_DIR
"""
import os
import subprocess
import sys
import tempfile

DRIVER = '''
from nova import exception
from nova.i18n import _
LOG = logging.getLogger(__name__)


class LibvirtDriver(object):
    def _live_migration_operation(self, instance):
        try:
            pass
        except Exception as e:
            LOG.error("Live Migration failure: %s", e, instance=instance)
            LOG.debug("Not counted: DEBUG %s", e)

    def get_console_output(self):
        LOG.error("Not on the migration path at all")

    def check_can_live_migrate_source(self, source):
        reason = _("A brand new reason nobody catalogued")
        raise exception.InvalidSharedStorage(reason=reason, path=source)

    def migrate_disk_and_power_off(self):
        raise exception.InstanceFaultRollback(_("Unable to resize disk down."))
'''
EXCEPTION = '''
class InvalidSharedStorage(Exception):
    msg_fmt = _("%(path)s is not on shared storage: %(reason)s")
'''

# libvirt's way of reporting a constant message: "%s" is the format, the text its argument.
QEMU_MIGRATION_C = '''
    if (flags & VIR_MIGRATE_ABORT_ON_ERROR) {
        virReportError(VIR_ERR_OPERATION_INVALID, "%s",
                       _("cannot migrate domain with I/O error"));
        return false;
    }
    virReportError(VIR_ERR_INTERNAL_ERROR,
                   _("migration protocol going backwards %1$s => %2$s"), a, b);
    virReportError(VIR_ERR_INTERNAL_ERROR, "%s", _("A brand new libvirt message"));
'''


def libvirt_case(script, rules):
    """Returns an error text, or None when the libvirt row and missing line are right."""
    with tempfile.TemporaryDirectory() as tree:
        os.makedirs(os.path.join(tree, "src/qemu"))
        with open(os.path.join(tree, "src/qemu/qemu_migration.c"), "w") as f:
            f.write(QEMU_MIGRATION_C)
        r = subprocess.run([sys.executable, script, "--rules", rules, "--libvirt", tree,
                            "--missing"], capture_output=True, text=True)
    want_row = "| libvirt | tree | 3 | 1 | 1 | 1 | 1 | 66.7 % |"
    want_missing = "missing  src/qemu/qemu_migration.c: A brand new libvirt message"
    if r.returncode != 0 or want_row not in r.stdout or want_missing not in r.stderr \
            or "%s" in r.stderr:
        return "stdout:\n%s\nstderr:\n%s\nexpected row: %s" % (r.stdout, r.stderr, want_row)
    return None


def main():
    script, rules = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tree:
        os.makedirs(os.path.join(tree, "nova/virt/libvirt"))
        with open(os.path.join(tree, "nova/virt/libvirt/driver.py"), "w") as f:
            f.write(DRIVER)
        with open(os.path.join(tree, "nova/exception.py"), "w") as f:
            f.write(EXCEPTION)
        r = subprocess.run([sys.executable, script, "--rules", rules, "--nova", tree, "--missing"],
                           capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stdout, r.stderr)
        return 1
    want_row = "| nova | tree | 4 | 2 | 1 | 1 | 1 | 75.0 % |"
    want_missing = "missing  nova/virt/libvirt/driver.py: A brand new reason nobody catalogued"
    ok = want_row in r.stdout and want_missing in r.stderr and "Not counted" not in r.stderr \
        and "Not on the migration path" not in r.stderr
    if not ok:
        print("stdout:", r.stdout, "stderr:", r.stderr, sep="\n")
        print("expected row:", want_row)
        return 1
    problem = libvirt_case(script, rules)
    if problem:
        print(problem)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
