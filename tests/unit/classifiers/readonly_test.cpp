// is_read_only_command: an allowlist. Both directions are tested: every
// command the packs rely on passes, and every way to change state fails.
#include <catch2/catch.hpp>

#include <string>

#include "migsleuth/classifiers/classify.hpp"

using migsleuth::classifiers::is_read_only_command;

namespace {
bool ro(const std::string& cmd) {
  std::string why;
  const bool ok = is_read_only_command(cmd, why);
  INFO(cmd << " -> " << why);
  if (!ok) CHECK(!why.empty());
  return ok;
}
}  // namespace

TEST_CASE("readonly: query commands are accepted", "[classifiers][readonly]") {
  const char* const kQueries[] = {
      "virsh -r capabilities | grep -A3 '<cpu>'",
      "virsh -r dumpxml instance-0000002a | grep -A10 '<cpu'",
      "virsh list --all",
      "virsh domjobinfo instance-0000002a",
      "virsh -c qemu:///system dominfo 3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11",
      "virsh -r domcapabilities | grep -A40 \"<mode name='host-model'\"",
      "openstack hypervisor show cmp-2 -c cpu_info -f json",
      "openstack server migration list --server 3f1c0a52-8c7e-4f0e-9a55-2f0d2b9d7e11",
      "openstack server migration show 3f1c0a52 12",
      "openstack --os-compute-api-version 2.80 server event list 3f1c0a52",
      "openstack port show 0f0de1cd-2172-4885-b017-446186ab3b06 -f json",
      "openstack compute service list --service nova-compute",
      "openstack resource provider inventory list 1234",
      "openstack versions show",
      "nova server-migration-list 3f1c0a52",
      "nova show 3f1c0a52",
      "journalctl -u libvirtd --since '2024-03-05 10:00' --no-pager",
      "grep -E '^(cpu_mode|cpu_models)' /etc/nova/nova.conf",
      "zgrep 3f1c0a52 /var/log/nova/nova-compute.log.1.gz",
      "ss -ltnp 'sport = :16509'",
      "nc -zv -w 5 cmp-2 49152",
      "ping -c 3 cmp-2",
      "lscpu",
      "numastat -m",
      "ip addr show",
      "ip -br link",
      "ip route get 10.0.0.12",
      "cat /proc/meminfo | grep -i huge",
      "tail -n 100 /var/log/libvirt/qemu/instance-0000002a.log",
      "df -h /var/lib/nova/instances",
      "systemctl status libvirtd",
      "systemctl is-active virtqemud",
      "timedatectl status",
      "date -u +%s",
      "hostname -f",
      "qemu-img info /var/lib/nova/instances/3f1c0a52/disk",
      "awk '{print $1}' /proc/meminfo",
      "sed -n '1,20p' /etc/nova/nova.conf",
      "openssl s_client -connect cmp-2:16514 </dev/null",
      "openssl x509 -noout -subject -in /etc/pki/libvirt/servercert.pem",
      "sudo virsh -r list --all",
      "timeout 10 nc -zv cmp-2 16509",
      "ssh -o BatchMode=yes cmp-2 'virsh -r list --all | grep instance'",
      "grep x /var/log/nova/nova-compute.log 2>/dev/null",
      "virsh -r list --all 2>&1 | grep instance",
      "lspci -nn | grep -i vf",
      "getent hosts cmp-2",
  };
  for (const char* q : kQueries) CHECK(ro(q));
}

TEST_CASE("readonly: state-changing commands are refused", "[classifiers][readonly]") {
  const char* const kChanges[] = {
      "virsh destroy instance-0000002a",
      "virsh undefine instance-0000002a",
      "virsh migrate --live instance-0000002a qemu+tcp://cmp-2/system",
      "virsh domjobabort instance-0000002a",
      "virsh start instance-0000002a",
      "virsh",
      "openstack server delete 3f1c0a52",
      "openstack server migrate --live-migration 3f1c0a52",
      "openstack server set --state active 3f1c0a52",
      "openstack server migration abort 3f1c0a52 12",
      "nova reset-state --active 3f1c0a52",
      "nova live-migration 3f1c0a52 cmp-2",
      "systemctl restart libvirtd",
      "systemctl stop nova-compute",
      "rm -rf /var/lib/nova/instances/3f1c0a52",
      "kill -9 1234",
      "sed -i 's/a/b/' /etc/nova/nova.conf",
      "sed -n 's/a/b/w /tmp/x' /etc/nova/nova.conf",
      "sed 's/a/b/' /etc/nova/nova.conf",
      "grep x /var/log/nova/nova-compute.log > /tmp/out",
      "grep x /var/log/nova/nova-compute.log >> /tmp/out",
      "virsh -r list | tee /tmp/list",
      "echo $(virsh destroy x)",
      "echo `reboot`",
      "grep \"$(rm -rf /)\" file",
      "virsh -r list; virsh destroy x",
      "virsh -r list && reboot",
      "virsh -r list || virsh destroy x",
      "virsh -r list &",
      "ip link set eth0 down",
      "ip addr add 10.0.0.1/24 dev eth0",
      "ip netns exec x bash",
      "ss -K dst 10.0.0.1",
      "nc -l 4444",
      "nc cmp-2 16509",
      "ping cmp-2",
      "journalctl --vacuum-size=10M",
      "awk 'BEGIN{system(\"reboot\")}'",
      "awk '{print > \"/tmp/x\"}' f",
      "sudo -i",
      "sudo systemctl restart libvirtd",
      "timeout 10 virsh destroy x",
      "ssh cmp-2 virsh destroy x",
      "ssh cmp-2",
      "ssh -o BatchMode=yes cmp-2 'virsh -r list; rm -f /x'",
      "date -s '2024-01-01'",
      "hostname newname",
      "sort -o /tmp/x f",
      "uniq in out",
      "qemu-img convert a b",
      "openssl x509 -in a -out b",
      "reboot",
      "python3 -c 'import os'",
      "bash -c 'ls'",
      "xargs rm",
      "",
      "virsh -r list |",
      "(virsh -r list)",
  };
  for (const char* c : kChanges) CHECK_FALSE(ro(c));
}

TEST_CASE("readonly: the reason names the offending segment", "[classifiers][readonly]") {
  std::string why;
  REQUIRE_FALSE(is_read_only_command("virsh -r list | virsh destroy x", why));
  CHECK_THAT(why, Catch::Matchers::Contains("segment 2"));
  CHECK_THAT(why, Catch::Matchers::Contains("destroy"));
  REQUIRE_FALSE(is_read_only_command("grep a b > /tmp/x", why));
  CHECK_THAT(why, Catch::Matchers::Contains("redirection"));
}
