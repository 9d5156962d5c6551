// Deployment detection from each host's files, and confirm commands written
// for it (classifiers/deployment.hpp): the layouts of real deployments give
// their kind and reason; every rendering is checked read-only and differs
// from the plain one where the deployment differs.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "migsleuth/classifiers/deployment.hpp"

using namespace migsleuth;
using migsleuth::classifiers::detect_deployments;
using migsleuth::classifiers::render_for;

namespace {

input file(std::string path, std::string host, input_kind kind = input_kind::nova_compute) {
  input in;
  in.path = std::move(path);
  in.host = std::move(host);
  in.kind = kind;
  return in;
}

event line(std::string host, std::string text, input_kind source = input_kind::nova_compute) {
  event ev;
  ev.host = std::move(host);
  ev.text = std::move(text);
  ev.source = source;
  return ev;
}

host_deployment only(const std::vector<input>& inputs, const std::vector<event>& events = {}) {
  const auto hosts = detect_deployments(inputs, events);
  REQUIRE(hosts.size() == 1);
  return hosts[0];
}

host_deployment as(deployment_kind k) {
  std::vector<host_deployment> hosts{{}};
  hosts[0].host = "cmp-1";
  classifiers::force_deployment(hosts, k);
  return hosts[0];
}

std::string shown(const std::string& cmd, const host_deployment& d,
                  run_where where = run_where::source) {
  const confirm_command c{where, cmd, "why"};
  const confirm_command r = render_for(c, d);
  std::string why;
  INFO(r.command);
  CHECK(classifiers::is_read_only_shown_command(r.command, why));
  return r.command;
}

}  // namespace

TEST_CASE("deployment detection: each layout's signs, with the reason", "[classifiers][deployment]") {
  SECTION("plain packages when nothing else shows") {
    const auto d = only({file("bundle/cmp-1/var/log/nova/nova-compute.log", "cmp-1")});
    CHECK(d.kind == deployment_kind::plain);
    CHECK(d.why == "no container or pod layout in its files");
  }
  SECTION("TripleO: logs under var/log/containers/nova, libvirtd in nova_libvirt") {
    const auto d = only({file("b/overcloud-novacompute-0/var/log/containers/nova/nova-compute.log",
                              "overcloud-novacompute-0")});
    CHECK(d.kind == deployment_kind::tripleo);
    CHECK(d.why == "logs under var/log/containers/nova/");
    CHECK(d.libvirt_container == "nova_libvirt");
  }
  SECTION("TripleO 17: modular libvirt seen in a line selects nova_virtqemud") {
    const auto d = only({file("b/c0/var/log/containers/libvirt/qemu/instance-1.log", "c0",
                              input_kind::qemu_domain)},
                        {line("c0", "2025-03-19 07:42:18.118+0000: shutting down, reason=failed; "
                                    "terminating on signal 15 from pid 4187 (/usr/sbin/virtqemud)",
                              input_kind::qemu_domain)});
    CHECK(d.kind == deployment_kind::tripleo);
    CHECK(d.libvirt_container == "nova_virtqemud");
    CHECK(d.why.find("modular libvirt") != std::string::npos);
  }
  SECTION("EDPM: a journal export of edpm_nova_compute beats var/log/containers/libvirt") {
    const auto d = only({file("b/edpm-compute-0/var/log/containers/libvirt/qemu/instance-1.log",
                              "edpm-compute-0", input_kind::qemu_domain),
                         file("b/edpm-compute-0/journalctl_--no-pager_--unit_edpm_nova_compute",
                              "edpm-compute-0")});
    CHECK(d.kind == deployment_kind::edpm);
    CHECK(d.why == "journal of unit edpm_nova_compute");
    CHECK(d.nova_journal_unit == "edpm_nova_compute");
    CHECK(d.libvirt_container.empty());  // host-installed libvirt (edpm-ansible edpm_libvirt)
  }
  SECTION("EDPM: nova-compute records in the journal under the container's name") {
    const auto d = only({file("b/edpm-compute-2/var/log/messages", "edpm-compute-2")},
                        {line("edpm-compute-2",
                              "Mar 16 14:44:02 edpm-compute-2 nova_compute[118204]: 2026-03-16 "
                              "18:44:02.118 2 ERROR nova.virt.libvirt.driver [-] x")});
    CHECK(d.kind == deployment_kind::edpm);
  }
  SECTION("kolla: var/log/kolla") {
    const auto d = only({file("b/kolla-cmp-1/var/log/kolla/nova/nova-compute.log", "kolla-cmp-1")});
    CHECK(d.kind == deployment_kind::kolla);
    CHECK(d.why == "logs under var/log/kolla/");
    CHECK(d.libvirt_container == "nova_libvirt");
  }
  SECTION("Kubernetes: pod log paths give namespace and pod") {
    const auto d = only({file("b/node-3/var/log/pods/openstack_nova-compute-default-4h9tq_"
                              "0f1e6c2a-93b4-4d51-8e07-6a2c9d1b3f48/nova-compute/0.log", "node-3")});
    CHECK(d.kind == deployment_kind::kubernetes);
    CHECK(d.k8s_namespace == "openstack");
    CHECK(d.nova_pod == "nova-compute-default-4h9tq");
    CHECK(d.why == "pod logs under var/log/pods/, namespace openstack");
  }
  SECTION("Kubernetes: kubelet's var/log/containers/POD_NS_CONTAINER-ID.log names the libvirt pod") {
    const auto d = only({file("b/node-3/var/log/containers/libvirt-libvirt-default-pnhq9_openstack_"
                              "libvirt-0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab"
                              "cdef.log", "node-3", input_kind::libvirtd)});
    CHECK(d.kind == deployment_kind::kubernetes);
    CHECK(d.libvirt_pod == "libvirt-libvirt-default-pnhq9");
    CHECK(d.libvirt_container == "libvirt");
  }
  SECTION("not Kubernetes: TripleO's var/log/containers/ files, whatever their names") {
    const auto d = only({file("b/c0/var/log/containers/nova/nova-compute.log", "c0"),
                         file("b/c0/var/log/containers/stdouts/nova_compute_init_log.log", "c0"),
                         file("b/c0/var/log/containers/a_b_c-d.log", "c0")});
    CHECK(d.kind == deployment_kind::tripleo);
    CHECK(d.k8s_namespace.empty());
  }
  SECTION("Kubernetes: a container log saved anywhere, read by its content") {
    input in = file("b/node-4/nova-compute-node-4.txt", "node-4");
    in.kind_reason = "CRI container log (containerd, CRI-O), read as its lines: 2 of 2 ...";
    const auto d = only({in});
    CHECK(d.kind == deployment_kind::kubernetes);
    CHECK(d.why == "its content is a CRI container log (containerd, CRI-O)");
  }
  SECTION("hosts are independent and in order") {
    const auto hosts = detect_deployments(
        std::vector<input>{file("b/z/var/log/kolla/nova/nova-compute.log", "z"),
                           file("b/a/var/log/nova/nova-compute.log", "a")},
        std::vector<event>{});
    REQUIRE(hosts.size() == 2);
    CHECK(hosts[0].host == "a");
    CHECK(hosts[0].kind == deployment_kind::plain);
    CHECK(hosts[1].kind == deployment_kind::kolla);
  }
}

TEST_CASE("deployment rendering: virsh, logs, config and units per deployment",
          "[classifiers][deployment]") {
  const std::string log = "grep 3f1c0a52 /var/log/nova/nova-compute.log | grep -E 'a|b'";
  const std::string virsh = "virsh -r dumpxml instance-1 | grep -A10 '<cpu'";
  const std::string conf = "grep -E '^(live_migration_scheme)' /etc/nova/nova.conf";
  const std::string units = "systemctl status libvirtd virtqemud libvirtd-tcp.socket libvirtd-tls.socket";

  SECTION("plain: only the rotations are added") {
    const auto d = as(deployment_kind::plain);
    CHECK(shown(log, d) == "zgrep -h 3f1c0a52 /var/log/nova/nova-compute.log* | grep -E 'a|b'");
    CHECK(shown(virsh, d) == virsh);
    CHECK(shown(conf, d) == conf);
    CHECK(shown(units, d) == units);
  }
  SECTION("TripleO") {
    const auto d = as(deployment_kind::tripleo);
    CHECK(shown(log, d) ==
          "zgrep -h 3f1c0a52 /var/log/containers/nova/nova-compute.log* | grep -E 'a|b'");
    CHECK(shown(virsh, d) ==
          "podman exec nova_libvirt virsh -r dumpxml instance-1 | grep -A10 '<cpu'");
    CHECK(shown(conf, d) == "grep -E '^(live_migration_scheme)' "
                            "/var/lib/config-data/puppet-generated/nova_libvirt/etc/nova/nova.conf");
    CHECK(shown(units, d) == "systemctl status tripleo_nova_libvirt");
    CHECK(shown("journalctl -u nova-compute --since '-2h'", d) ==
          "journalctl -u tripleo_nova_compute --since '-2h'");
    CHECK(shown("grep cmp-2 /var/lib/nova/.ssh/known_hosts", d) ==
          "grep cmp-2 /etc/ssh/ssh_known_hosts");
    CHECK(shown("ls -l /usr/bin/nc /usr/bin/virt-ssh-helper", d) ==
          "podman exec nova_migration_target ls -l /usr/bin/nc /usr/bin/virt-ssh-helper");
    CHECK(shown("grep -E 'x' /var/log/libvirt/qemu/instance-1.log", d) ==
          "zgrep -h -E 'x' /var/log/containers/libvirt/qemu/instance-1.log*");
  }
  SECTION("TripleO qemu+ssh: as nova_migration with its key, and the why says so") {
    const auto d = as(deployment_kind::tripleo);
    const confirm_command r =
        render_for({run_where::source, "virsh -r -c qemu+ssh://root@cmp-2/system version", "w."}, d);
    CHECK(r.command == "podman exec nova_libvirt virsh -r -c 'qemu+ssh://nova_migration@cmp-2:2022"
                       "/system?keyfile=/etc/nova/migration/identity' version");
    CHECK(r.why.find("as nova_migration on port 2022 with the key /etc/nova/migration/identity") !=
          std::string::npos);
  }
  SECTION("EDPM qemu+ssh: as nova with its key on ssh's own port (nova-operator's nova.conf)") {
    const confirm_command r =
        render_for({run_where::source, "virsh -r -c qemu+ssh://root@cmp-2/system version", "w."},
                   as(deployment_kind::edpm));
    CHECK(r.command == "virsh -r -c 'qemu+ssh://nova@cmp-2/system?keyfile=/var/lib/nova/.ssh/"
                       "ssh-privatekey' version");
    CHECK(r.why.find("as nova with the key /var/lib/nova/.ssh/ssh-privatekey") != std::string::npos);
  }
  SECTION("EDPM: the journal of edpm_nova_compute, generated config, libvirt on the host") {
    const auto d = as(deployment_kind::edpm);
    CHECK(shown(log, d) ==
          "journalctl -u edpm_nova_compute --no-pager | grep 3f1c0a52 | grep -E 'a|b'");
    CHECK(shown(virsh, d) == virsh);  // virtqemud from packages, not a container
    CHECK(shown(conf, d) ==
          "grep -E '^(live_migration_scheme)' /var/lib/openstack/config/nova/*.conf");
    CHECK(shown(units, d) == "systemctl status virtqemud virtproxyd-tls.socket");
    CHECK(shown("grep -rl 3f1c0a52 /etc/libvirt/secrets", d) ==
          "grep -rl 3f1c0a52 /etc/libvirt/secrets");
    CHECK(shown("journalctl -u libvirtd -u virtqemud | grep -E 'post-copy'", d) ==
          "journalctl -u virtqemud | grep -E 'post-copy'");
    CHECK(shown("grep -E 'shutting down' /var/log/libvirt/qemu/instance-1.log", d) ==
          "zgrep -h -E 'shutting down' /var/log/libvirt/qemu/instance-1.log*");
    CHECK(shown("qemu-img info --force-share /var/lib/nova/instances/x/disk", d) ==
          "podman exec nova_compute qemu-img info --force-share /var/lib/nova/instances/x/disk");
  }
  SECTION("kolla: docker exec, /var/log/kolla, /etc/kolla, the nova_compute volume") {
    const auto d = as(deployment_kind::kolla);
    CHECK(shown(log, d) == "zgrep -h 3f1c0a52 /var/log/kolla/nova/nova-compute.log* | grep -E 'a|b'");
    CHECK(shown(virsh, d) ==
          "docker exec nova_libvirt virsh -r dumpxml instance-1 | grep -A10 '<cpu'");
    CHECK(shown(conf, d) == "grep -E '^(live_migration_scheme)' /etc/kolla/nova-compute/nova.conf");
    CHECK(shown("ls -la /var/lib/nova/instances/3f1c0a52", d) ==
          "docker exec nova_compute ls -la /var/lib/nova/instances/3f1c0a52");
    CHECK(shown("qemu-img info --force-share /var/lib/nova/instances/x/disk", d) ==
          "docker exec nova_compute qemu-img info --force-share /var/lib/nova/instances/x/disk");
    CHECK(shown(units, d) == "systemctl status kolla-nova_libvirt-container");
  }
  SECTION("Kubernetes: kubectl exec and logs, pods as gaps when unknown") {
    const auto d = as(deployment_kind::kubernetes);
    CHECK(shown(log, d) == "kubectl logs -n openstack <nova compute pod> -c nova-compute | "
                           "grep 3f1c0a52 | grep -E 'a|b'");
    CHECK(shown(virsh, d) == "kubectl exec -n openstack <libvirt pod> -c libvirt -- virsh -r "
                             "dumpxml instance-1 | grep -A10 '<cpu'");
    CHECK(shown(conf, d) == "kubectl exec -n openstack <nova compute pod> -c nova-compute -- "
                            "grep -E '^(live_migration_scheme)' /etc/nova/nova.conf");
    // OpenStack-Helm: certificates in the libvirt pod, libvirtd's log a node file.
    CHECK(shown("openssl x509 -noout -subject -enddate -in /etc/pki/qemu/server-cert.pem", d) ==
          "kubectl exec -n openstack <libvirt pod> -c libvirt -- openssl x509 -noout -subject "
          "-enddate -in /etc/pki/qemu/server-cert.pem");
    CHECK(shown("journalctl -u libvirtd -u virtqemud | grep -E 'post-copy'", d) ==
          "cat /var/log/libvirt/libvirtd.log | grep -E 'post-copy'");
    CHECK(shown("journalctl -u neutron-openvswitch-agent --since '-2h'", d) ==
          "journalctl -u neutron-openvswitch-agent --since '-2h'");
  }
  SECTION("commands that do not depend on the deployment stay as they are") {
    CHECK(shown("virsh hypervisor-cpu-compare src-cpu.xml", as(deployment_kind::tripleo)) ==
          "virsh hypervisor-cpu-compare src-cpu.xml");  // the file is on the host
    for (const auto k : {deployment_kind::tripleo, deployment_kind::edpm, deployment_kind::kolla}) {
      CHECK(shown("openstack server show 3f1c0a52 -f json", as(k), run_where::controller) ==
            "openstack server show 3f1c0a52 -f json");
      CHECK(shown("nc -zv -w 5 cmp-2 16509", as(k)) == "nc -zv -w 5 cmp-2 16509");
      CHECK(shown("journalctl -k --since '-2h'", as(k)) == "journalctl -k --since '-2h'");
    }
  }
}

TEST_CASE("deployment rendering: each command once, both hosts' own form",
          "[classifiers][deployment]") {
  std::vector<host_deployment> hosts(2);
  hosts[0].host = "cmp-a";
  hosts[1].host = "cmp-b";
  classifiers::force_deployment(hosts, deployment_kind::tripleo);
  hosts[1].kind = deployment_kind::kolla;
  hosts[1].libvirt_container = "nova_libvirt";
  incident inc;
  inc.source = "cmp-a";
  inc.destination = "cmp-b.example.net";  // the same host by its short name
  std::vector<incident> incidents{inc};
  std::vector<verdict> verdicts(1);
  verdicts[0].confirm = {{run_where::destination, "systemctl status libvirtd", "a"},
                         {run_where::destination, "systemctl status virtqemud", "b"},
                         {run_where::both, "virsh -r version", "c"}};
  classifiers::render_for_deployments(incidents, verdicts, {}, hosts);
  const auto& c = verdicts[0].confirm;
  REQUIRE(c.size() == 3);
  CHECK(c[0].command == "systemctl status kolla-nova_libvirt-container");  // the two became one
  CHECK(c[1].where == run_where::source);
  CHECK(c[1].command == "podman exec nova_libvirt virsh -r version");
  CHECK(c[2].where == run_where::destination);
  CHECK(c[2].command == "docker exec nova_libvirt virsh -r version");
}

TEST_CASE("deployment rendering: a host the data could not name runs as the bundle's hosts do",
          "[classifiers][deployment]") {
  std::vector<host_deployment> hosts(2);
  hosts[0].host = "cmp-a";
  hosts[1].host = "cmp-c";  // in the bundle, not in the attempt
  classifiers::force_deployment(hosts, deployment_kind::tripleo);
  incident inc;
  inc.source = "cmp-a";  // destination unknown
  std::vector<incident> incidents{inc};
  std::vector<verdict> verdicts(1);
  verdicts[0].confirm = {{run_where::destination, "virsh -r version", "v"}};
  classifiers::render_for_deployments(incidents, verdicts, {}, hosts);
  CHECK(verdicts[0].confirm[0].command == "podman exec nova_libvirt virsh -r version");

  hosts[1].kind = deployment_kind::plain;  // no agreement: nothing to assume
  hosts[1].libvirt_container.clear();
  verdicts[0].confirm = {{run_where::destination, "virsh -r version", "v"}};
  classifiers::render_for_deployments(incidents, verdicts, {}, hosts);
  CHECK(verdicts[0].confirm[0].command == "virsh -r version");
}

TEST_CASE("deployment rendering: the control plane of EDPM and Kubernetes computes runs in pods",
          "[classifiers][deployment]") {
  const auto controller = [](const std::string& cmd, const host_deployment& d) {
    const confirm_command r =
        classifiers::render_for_controller({run_where::controller, cmd, "why."}, d);
    std::string why;
    INFO(r.command);
    CHECK(classifiers::is_read_only_shown_command(r.command, why));
    return r;
  };
  const std::string show = "openstack server show 3f1c0a52 -f json";
  const std::string conductor = "grep req-1 /var/log/nova/nova-conductor.log";
  const std::string scheduler =
      "grep 3f1c0a52 /var/log/nova/nova-scheduler.log | grep -E 'Filter|returned 0 hosts'";
  SECTION("EDPM/RHOSO: the openstackclient pod, nova-operator's conductor and scheduler pods") {
    const auto d = as(deployment_kind::edpm);
    const auto r = controller(show, d);
    CHECK(r.command == "oc rsh -n openstack openstackclient openstack server show 3f1c0a52 -f json");
    CHECK(r.why.find("openstackclient pod") != std::string::npos);
    CHECK(controller(conductor, d).command ==
          "oc logs -n openstack nova-cell1-conductor-0 | grep req-1");
    CHECK(controller(scheduler, d).command ==
          "oc logs -n openstack nova-scheduler-0 | grep 3f1c0a52 | grep -E 'Filter|returned 0 hosts'");
  }
  SECTION("Kubernetes: the client where clouds.yaml is (said, not changed); logs of pods as gaps") {
    auto d = as(deployment_kind::kubernetes);
    const auto r = controller(show, d);
    CHECK(r.command == show);
    CHECK(r.why.find("OS_CLOUD=openstack_helm") != std::string::npos);
    d.k8s_namespace = "osh";
    CHECK(controller(scheduler, d).command ==
          "kubectl logs -n osh <nova scheduler pod> | grep 3f1c0a52 | grep -E 'Filter|returned 0 hosts'");
  }
  SECTION("TripleO, kolla and plain: unchanged here (render_for writes their controllers)") {
    for (const auto k : {deployment_kind::plain, deployment_kind::tripleo, deployment_kind::kolla}) {
      CHECK(controller(show, as(k)).command == show);
      CHECK(controller(conductor, as(k)).command == conductor);
    }
  }
  SECTION("a verdict's controller commands follow the computes' deployment") {
    std::vector<host_deployment> hosts(2);
    hosts[0].host = "edpm-compute-0";
    hosts[1].host = "edpm-compute-1";
    classifiers::force_deployment(hosts, deployment_kind::edpm);
    incident inc;
    inc.source = "edpm-compute-0";
    inc.destination = "edpm-compute-1";
    std::vector<incident> incidents{inc};
    std::vector<verdict> verdicts(1);
    verdicts[0].confirm = {{run_where::controller, show, "a"}};
    classifiers::render_for_deployments(incidents, verdicts, {}, hosts);
    REQUIRE(verdicts[0].confirm.size() == 1);
    CHECK(verdicts[0].confirm[0].where == run_where::controller);
    CHECK(verdicts[0].confirm[0].command.rfind("oc rsh -n openstack openstackclient ", 0) == 0);
  }
}
