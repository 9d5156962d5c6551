// The read-only checker's container wrappers (podman/docker exec and logs,
// kubectl exec and logs), absolute-path globs for file readers, a migration
// user's keyfile in a qemu+ssh URI, and the host tools added for issue 19
// (getfacl, namei, lvs/vgs/pvs, dmesg, mdevctl, virsh secret-list, openstack
// secret list, openstack extension list --network). Both directions: the
// query forms pass, every form that changes state or opens a shell fails.
#include <catch2/catch.hpp>

#include <string>

#include "migsleuth/classifiers/classify.hpp"

using migsleuth::classifiers::is_read_only_command;
using migsleuth::classifiers::is_read_only_shown_command;

namespace {
bool ro(const std::string& cmd) {
  std::string why;
  const bool ok = is_read_only_command(cmd, why);
  INFO(cmd << " -> " << why);
  if (!ok) CHECK(!why.empty());
  return ok;
}

std::string reason(const std::string& cmd) {
  std::string why;
  is_read_only_command(cmd, why);
  return why;
}
}  // namespace

TEST_CASE("readonly wrappers: a read-only command inside a container passes",
          "[classifiers][readonly][deployment]") {
  const char* const kAccepted[] = {
      "podman exec nova_libvirt virsh -r list --all",
      "podman exec nova_virtqemud virsh -r dumpxml instance-0000002a | grep -A10 '<cpu'",
      "podman exec -u root nova_compute qemu-img info --force-share /var/lib/nova/instances/x/disk",
      "podman exec nova_virtqemud virsh -r -c 'qemu+ssh://nova_migration@cmp-2:2022/system?keyfile=/etc/nova/migration/identity' version",
      "docker exec nova_libvirt virsh -r domjobinfo instance-0000002a --completed",
      "docker exec nova_compute grep cmp-2 /var/lib/nova/.ssh/known_hosts",
      "podman logs --since 2h nova_compute",
      "docker logs --tail 200 -t nova_compute",
      "podman ps -a --filter name=nova",
      "sudo podman exec nova_libvirt virsh -r version",
      "kubectl exec -n openstack libvirt-libvirt-default-x7k2p -c libvirt -- virsh -r list --all",
      "kubectl -n openstack exec nova-compute-default-4h9tq -c nova-compute -- grep -E '^compute' /etc/nova/nova.conf",
      "kubectl logs -n openstack nova-compute-default-4h9tq -c nova-compute | grep 3f1c0a52",
      "kubectl logs --previous -n openstack nova-compute-default-4h9tq -c nova-compute",
      // RHOSO: the openstackclient pod, the control plane's logs.
      "oc rsh -n openstack openstackclient openstack server show 3f1c0a52 -f json",
      "oc logs -n openstack nova-cell1-conductor-0 | grep req-1",
      "oc logs --tail 200 -n openstack nova-scheduler-0",
  };
  for (const char* c : kAccepted) CHECK(ro(c));
}

TEST_CASE("readonly wrappers: state changes, shells and terminals in containers are refused",
          "[classifiers][readonly][deployment]") {
  const char* const kRefused[] = {
      "podman exec nova_libvirt virsh destroy instance-0000002a",
      "podman exec nova_libvirt virsh -r undefine instance-0000002a",
      "podman exec -it nova_libvirt bash",
      "podman exec -i nova_libvirt virsh -r list",
      "podman exec --tty nova_libvirt virsh -r list",
      "podman exec --privileged nova_libvirt virsh -r list",
      "podman exec -e LD_PRELOAD=/tmp/x.so nova_libvirt virsh -r list",
      "podman exec nova_libvirt sh -c 'virsh -r list'",
      "podman exec nova_libvirt",
      "podman exec -- virsh -r list",
      "podman --remote exec nova_libvirt virsh -r list",
      "podman --url tcp://x:1 exec nova_libvirt virsh -r list",
      "podman rm nova_libvirt",
      "podman restart nova_compute",
      "podman run --rm fedora cat /etc/passwd",
      "podman logs -f nova_compute",
      "docker logs --follow nova_compute",
      "docker exec nova_compute rm -rf /var/lib/nova/instances",
      "docker exec nova_compute qemu-img commit /var/lib/nova/instances/x/disk",
      "docker cp nova_compute:/etc/nova/nova.conf /tmp/",
      "kubectl exec -it -n openstack nova-compute-x -c nova-compute -- bash",
      "kubectl exec --stdin -n openstack nova-compute-x -- virsh -r list",
      "kubectl exec -n openstack nova-compute-x -- virsh destroy instance-1",
      "kubectl exec -n openstack nova-compute-x",
      "kubectl exec --kubeconfig /tmp/k -n openstack nova-compute-x -- virsh -r list",
      "kubectl --server https://evil:6443 logs nova-compute-x",
      "kubectl delete pod -n openstack nova-compute-x",
      "kubectl logs -f -n openstack nova-compute-x",
      "kubectl exec -n openstack 'bad pod' -- virsh -r list",
      "oc rsh -n openstack openstackclient",
      "oc rsh -t -n openstack openstackclient openstack server list",
      "oc rsh -n openstack openstackclient openstack server delete 3f1c0a52",
      "oc rsh -n openstack openstackclient bash -c 'openstack server list'",
      "oc rsh --kubeconfig /tmp/k -n openstack openstackclient openstack server list",
      "oc exec -n openstack openstackclient -- openstack server list",
      "oc delete pod -n openstack openstackclient",
      "oc logs -f -n openstack nova-scheduler-0",
      "oc logs -n openstack nova-scheduler-0 nova-cell1-conductor-0",
  };
  for (const char* c : kRefused) CHECK_FALSE(ro(c));
  CHECK(reason("podman exec nova_libvirt virsh destroy instance-1") ==
        "in the container: virsh destroy is not a query");
}

TEST_CASE("readonly globs: an absolute path's '*' only among a file reader's operands",
          "[classifiers][readonly][deployment]") {
  CHECK(ro("zgrep -h 3f1c0a52 /var/log/containers/nova/nova-compute.log*"));
  CHECK(ro("zgrep -h 3f1c0a52 /var/log/nova/nova-compute.log* | grep -E 'a|b'"));
  CHECK(ro("grep -E '^compute' /var/lib/openstack/config/nova/*.conf"));
  CHECK(ro("podman exec nova_libvirt grep -rl x /etc/libvirt/secrets/*.xml"));
  CHECK(ro("ssh -o BatchMode=yes cmp-2 zgrep -h x /var/log/nova/nova-compute.log*"));
  // Not absolute: could expand to '-rf' and the like.
  CHECK_FALSE(ro("grep x *.log"));
  CHECK_FALSE(ro("grep x nova*"));
  CHECK_FALSE(ro("grep x /var/log/nova/nova-compute.log?"));
  CHECK_FALSE(ro("grep x /var/log/nova/[a-z]*"));
  // Tools whose operand count decides what they do (uniq IN OUT writes OUT).
  CHECK_FALSE(ro("uniq /var/log/nova/*"));
  CHECK_FALSE(ro("sed -n 1p /var/log/nova/*"));
  CHECK_FALSE(ro("virsh -r dumpxml /tmp/x*"));
  // As an option's value it would shift the words after it.
  CHECK_FALSE(ro("grep -e /tmp/x* /var/log/nova/nova-compute.log"));
  CHECK_FALSE(ro("sudo -u /tmp/x* grep x /var/log/messages"));
  CHECK_FALSE(ro("podman exec /tmp/x* virsh -r list"));
  CHECK_FALSE(ro("timeout /tmp/x* grep x /var/log/messages"));
  CHECK(reason("uniq /var/log/nova/*").find("not in a 'uniq' command") != std::string::npos);
  CHECK(reason("podman exec x /bin/*") == "in the container: '/bin/*' is not on the read-only allowlist");
  // Quoted, a '*' is a literal pattern character, as before.
  CHECK(ro("grep -E 'compute *=' /etc/nova/nova.conf"));
}

TEST_CASE("readonly virsh URI: only an ssh transport's keyfile parameter",
          "[classifiers][readonly][deployment]") {
  CHECK(ro("virsh -r -c 'qemu+ssh://nova@cmp-2:2022/system?keyfile=/var/lib/nova/.ssh/ssh-privatekey' version"));
  CHECK_FALSE(ro("virsh -r -c 'qemu+tcp://cmp-2/system?keyfile=/etc/x' version"));
  CHECK_FALSE(ro("virsh -r -c 'qemu+ssh://cmp-2/system?keyfile=/etc/x&command=/bin/sh' version"));
  CHECK_FALSE(ro("virsh -r -c 'qemu+ssh://cmp-2/system?keyfile=relative/key' version"));
  CHECK_FALSE(ro("virsh -r -c 'qemu+ssh://cmp-2/system?keyfile=/etc/../tmp/key' version"));
  CHECK_FALSE(ro("virsh -r -c 'qemu+ssh://cmp-2/system?netcat=/tmp/x' version"));
}

TEST_CASE("readonly host tools: getfacl, namei, lvs/vgs/pvs, dmesg, mdevctl, chronyc",
          "[classifiers][readonly][deployment]") {
  const char* const kAccepted[] = {
      "getfacl /var/lib/nova/instances/3f1c0a52",
      "getfacl -p -n /var/lib/nova/instances",
      "namei -l /var/lib/nova/instances/3f1c0a52/disk",
      "namei -mo /var/lib/nova/instances",
      "lvs -o lv_name,lv_size,lv_attr --units g nova",
      "vgs --noheadings -o vg_free nova",
      "pvs -a",
      "dmesg -T",
      "dmesg --level err,warn --ctime",
      "mdevctl list",
      "mdevctl list --defined --dumpjson",
      "mdevctl types",
      "chronyc tracking",
      "chronyc -n sources",
      "chronyc sourcestats",
      "virsh -r secret-list",
      "openstack secret list",
      "openstack extension list --network",
      "openstack extension list --network -f json",
      "openstack port list --network private -f json",
  };
  for (const char* c : kAccepted) CHECK(ro(c));
  const char* const kRefused[] = {
      "setfacl -m u:nova:rwx /var/lib/nova",
      "getfacl --restore=/tmp/acl",
      "lvs --config 'global{locking_type=0}'",
      "lvchange -an nova/disk",
      "vgs --foreign",
      "dmesg -c",
      "dmesg -C",
      "dmesg --clear",
      "dmesg -D",
      "dmesg -E",
      "dmesg -n 1",
      "dmesg --console-level 1",
      "dmesg -w",
      "mdevctl start -u 1234",
      "mdevctl define --auto -u 1234",
      "mdevctl remove -u 1234",
      "chronyc",                       // interactive
      "chronyc makestep",
      "chronyc settime 12:00",
      "chronyc burst 4/4",
      "chronyc offline",
      "chronyc -m tracking makestep",  // several commands
      "chronyc -h ntp1 tracking",      // another chronyd
      "chronyc -f /tmp/x.conf tracking",
      "chronyc tracking makestep",
      "virsh secret-get-value 1234",
      "virsh secret-set-value 1234 x",
      "openstack secret delete https://kms/v1/secrets/1",
      "openstack secret get --payload https://kms/v1/secrets/1",
      "openstack extension list --network --os-auth-url http://evil",
  };
  for (const char* c : kRefused) CHECK_FALSE(ro(c));
}

TEST_CASE("readonly wrappers: a shown command's <pod> gap is one opaque word",
          "[classifiers][readonly][deployment]") {
  std::string why;
  CHECK(is_read_only_shown_command(
      "kubectl exec -n openstack <libvirt pod> -c libvirt -- virsh -r domjobinfo instance-1", why));
  CHECK_FALSE(is_read_only_shown_command(
      "kubectl exec -n openstack <libvirt pod> -c libvirt -- virsh undefine instance-1", why));
}
