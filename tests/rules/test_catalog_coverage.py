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
    return 0


if __name__ == "__main__":
    sys.exit(main())
