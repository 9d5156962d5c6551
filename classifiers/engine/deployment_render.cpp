// Confirm commands written for the deployment of the host they run on
// (deployment.hpp). Commands are already filled and checked; this rewrites
// their words, segment by segment of a pipeline, and checks the result again:
//
//   virsh / virt-host-validate   inside the libvirt container (podman or docker
//                                exec nova_libvirt / nova_virtqemud, kubectl exec)
//   qemu-img                     inside the nova_compute container
//   /var/log/nova/X.log          the deployment's log folder, with its rotations
//                                (zgrep -h ... X.log*), or the journal of the unit
//                                nova-compute's records were read from
//   /etc/nova/nova.conf,         the deployment's generated config on the host
//   /etc/libvirt/qemu.conf       (or, where there is none, read in the container)
//   journalctl -u / systemctl    the container's systemd unit (Kubernetes:
//                                libvirtd's journal is the node's libvirtd.log)
//   /etc/pki/... (Kubernetes)    read in the libvirt pod, where the chart mounts them
//   qemu+ssh://HOST/system       as the user, port and key nova migrates with
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "engine/command_segments.hpp"
#include "migsleuth/classifiers/deployment.hpp"

namespace migsleuth::classifiers {
namespace {

using words_t = std::vector<std::string>;


// OpenStack-Helm's namespace unless the pod log paths named another.
std::string k8s_namespace(const host_deployment& d) {
  return d.k8s_namespace.empty() ? "openstack" : d.k8s_namespace;
}

bool is_grep(std::string_view tool) { return tool == "grep" || tool == "egrep" || tool == "fgrep"; }
bool containerised(const host_deployment& d) { return d.kind != deployment_kind::plain; }
// EDPM installs libvirt on the host (edpm-ansible roles/edpm_libvirt/tasks/
// install.yml: the libvirt packages, the modular virtqemud, virtproxyd, ...
// services; only nova_compute is a container): virsh and /etc/libvirt/ stay.
bool libvirt_containerised(const host_deployment& d) { return !d.libvirt_container.empty(); }

// The words that run `command` inside the libvirt or nova-compute container.
words_t exec_prefix(const host_deployment& d, bool libvirt) {
  const std::string engine(container_engine(d.kind));
  const std::string nova(nova_container(d.kind));
  switch (d.kind) {
    case deployment_kind::tripleo:
    case deployment_kind::edpm:
    case deployment_kind::kolla:
      return {engine, "exec", libvirt ? d.libvirt_container : nova};
    case deployment_kind::kubernetes: {
      const std::string& pod = libvirt ? d.libvirt_pod : d.nova_pod;
      return {engine, "exec",  "-n", k8s_namespace(d),
              pod.empty() ? (libvirt ? "<libvirt pod>" : "<nova compute pod>") : pod,
              "-c", libvirt ? d.libvirt_container : nova, "--"};
    }
    case deployment_kind::plain:
      break;
  }
  return {};
}

// A systemd unit as the deployment names it; empty = none there (the
// libvirtd sockets: a containerised libvirtd listens itself). Names:
// tripleo_<container> (tripleo-heat-templates deployment/nova/*.yaml,
// e.g. Wants=tripleo_nova_virtqemud.service); EDPM's edpm_nova_compute and
// the host's own virtqemud, with libvirtd and its sockets masked and remote
// access by virtproxyd-tls.socket (edpm-ansible roles/edpm_libvirt/tasks/
// install.yml); kolla-<container>-container (kolla-ansible
// ansible/module_utils/kolla_systemd_worker.py).
std::string unit_for(std::string_view unit, const host_deployment& d) {
  const bool libvirt = unit == "libvirtd" || unit == "virtqemud" || unit == "libvirtd.service" ||
                       unit == "virtqemud.service";
  const bool socket = unit.starts_with("libvirtd-") && unit.ends_with(".socket");
  const bool nova = unit == "nova-compute" || unit == "openstack-nova-compute";
  const bool ovs_agent = unit == "neutron-openvswitch-agent";
  switch (d.kind) {
    case deployment_kind::tripleo:
      if (libvirt) return libvirt_unit(d.kind, d.libvirt_container);
      if (socket) return {};
      if (nova) return nova_unit(d.kind);
      if (ovs_agent) return "tripleo_neutron_ovs_agent";
      break;
    case deployment_kind::edpm:
      if (libvirt) return libvirt_unit(d.kind, d.libvirt_container);
      if (socket) return "virtproxyd-tls.socket";
      if (nova) return nova_unit(d.kind);
      break;
    case deployment_kind::kolla:
      if (libvirt) return libvirt_unit(d.kind, d.libvirt_container);
      if (socket) return {};
      if (nova) return nova_unit(d.kind);
      if (ovs_agent) return "kolla-neutron_openvswitch_agent-container";
      break;
    default:
      break;
  }
  return std::string(unit);
}

// journalctl -u UNIT... naming libvirt's daemons and no other unit.
bool libvirt_units_only(const words_t& w) {
  bool any = false;
  for (std::size_t i = 1; i < w.size(); ++i) {
    if ((w[i] == "-u" || w[i] == "--unit") && i + 1 < w.size()) {
      const std::string& u = w[++i];
      if (u != "libvirtd" && u != "virtqemud" && u != "libvirtd.service" &&
          u != "virtqemud.service") {
        return false;
      }
      any = true;
    }
  }
  return any;
}

void add_unique(words_t& out, std::string w) {
  if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(std::move(w));
}

// journalctl -u X / systemctl VERB X...: units renamed, dropped ones removed.
words_t rename_units(const words_t& w, const host_deployment& d) {
  words_t out{w[0]};
  bool verb_seen = false;
  for (std::size_t i = 1; i < w.size(); ++i) {
    if (w[0] == "journalctl" && (w[i] == "-u" || w[i] == "--unit") && i + 1 < w.size()) {
      const std::string u = unit_for(w[i + 1], d);
      if (!u.empty() && std::find(out.begin(), out.end(), u) == out.end()) {
        out.push_back(w[i]);
        out.push_back(u);
      }
      ++i;
    } else if (w[0] == "systemctl" && !w[i].starts_with("-") && verb_seen) {
      const std::string u = unit_for(w[i], d);
      if (!u.empty()) add_unique(out, u);
    } else {
      if (w[0] == "systemctl" && !w[i].starts_with("-")) verb_seen = true;
      out.push_back(w[i]);
    }
  }
  return out;
}

// qemu+ssh://[user@]HOST[:port]/system as the deployment's migration user.
std::string migration_uri(std::string_view uri, const migration_ssh& m) {
  constexpr std::string_view kScheme = "qemu+ssh://";
  if (!uri.starts_with(kScheme) || uri.find_first_of("?<'\"") != std::string_view::npos) return {};
  std::string_view rest = uri.substr(kScheme.size());
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos || rest.substr(slash) != "/system") return {};
  std::string_view host = rest.substr(0, slash);
  if (const std::size_t at = host.find('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
  if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos) host = host.substr(0, colon);
  // Quoted: an unquoted '?' is a glob to the shell.
  const std::string port = m.port.empty() ? std::string() : ":" + std::string(m.port);
  return "'" + std::string(kScheme) + std::string(m.user) + "@" + std::string(host) + port +
         "/system?keyfile=" + std::string(m.keyfile) + "'";
}

struct rendered {
  std::vector<segment> segs;
  std::string note;  // appended to the command's why
};

void render_segment(segment s, bool first, const host_deployment& d, rendered& r) {
  words_t& w = s.words;
  if (w.empty()) {
    r.segs.push_back(std::move(s));
    return;
  }
  const std::string tool = w[0];
  // virsh subcommands that read a FILE would look for it inside the container:
  // they stay as written, for where the file is.
  const bool reads_file = tool == "virsh" && std::any_of(w.begin(), w.end(), [](const std::string& x) {
    return x == "hypervisor-cpu-compare" || x == "cpu-compare" || x == "hypervisor-cpu-baseline" ||
           x == "cpu-baseline";
  });
  bool wrap_libvirt = libvirt_containerised(d) && !reads_file &&
                      (tool == "virsh" || tool == "virt-host-validate");
  bool wrap_nova = containerised(d) && tool == "qemu-img";
  bool wrap_migration_target = false;
  bool rotated = false;
  std::string journal_unit;  // nova-compute's records come from this unit's journal
  bool k8s_nova_logs = false;
  for (std::size_t i = 1; i < w.size(); ++i) {
    std::string& x = w[i];
    if (x.starts_with("/var/log/nova/") && x.ends_with(".log")) {
      const std::string file = x.substr(14);
      const std::string unit = !d.nova_journal_unit.empty() ? d.nova_journal_unit
                               : nova_logs_in_journal(d.kind)   ? nova_unit(d.kind)
                                                                 : "";
      if (file == "nova-compute.log" && is_grep(tool) && !unit.empty()) {
        journal_unit = unit;
      } else if (file == "nova-compute.log" && is_grep(tool) && d.kind == deployment_kind::kubernetes) {
        k8s_nova_logs = true;
      } else {
        x = std::string(nova_log_dir(d.kind)) + file + "*";
        rotated = true;
      }
    } else if (x.starts_with("/var/log/libvirt/") && x.ends_with(".log")) {
      x = std::string(libvirt_log_dir(d.kind)) + x.substr(17) + "*";
      rotated = true;
    } else if (x == "/etc/nova/nova.conf") {
      if (nova_conf_path(d.kind).empty()) {
        wrap_nova = true;  // Kubernetes: only inside the pod
      } else if (d.kind != deployment_kind::plain) {
        x = std::string(nova_conf_path(d.kind));
      }
    } else if (x == "/etc/libvirt/qemu.conf" && d.kind == deployment_kind::tripleo) {
      x = "/var/lib/config-data/puppet-generated/nova_libvirt/etc/libvirt/qemu.conf";
    } else if (x == "/etc/libvirt/qemu.conf" && d.kind == deployment_kind::kolla) {
      x = "/etc/kolla/nova-libvirt/qemu.conf";
    } else if (x.starts_with("/etc/libvirt/") && libvirt_containerised(d)) {
      wrap_libvirt = true;
    } else if (x.starts_with("/etc/pki/") && d.kind == deployment_kind::kubernetes) {
      // OpenStack-Helm mounts libvirt's and QEMU's certificates into the
      // libvirt pod (secrets under /etc/pki/libvirt, /etc/pki/CA, ...), not the node.
      wrap_libvirt = true;
    } else if (x.starts_with("/var/lib/nova/") &&
               (d.kind == deployment_kind::kolla || d.kind == deployment_kind::kubernetes)) {
      wrap_nova = true;  // a docker volume / the pod's, not a host path
    } else if (x == "/var/lib/nova/.ssh/known_hosts" &&
               (d.kind == deployment_kind::tripleo || d.kind == deployment_kind::edpm)) {
      // Both deploy every compute's host key to the global file and mount it
      // into the containers that ssh for a migration.
      x = "/etc/ssh/ssh_known_hosts";
    } else if ((x == "/usr/bin/virt-ssh-helper" || x == "/usr/bin/nc") &&
               d.kind == deployment_kind::tripleo) {
      wrap_migration_target = true;  // TripleO's sshd on 2022 runs them in this container
    } else if ((x == "-c" || x == "--connect") && i + 1 < w.size() && tool == "virsh") {
      if (const auto m = migration_ssh_of(d.kind)) {
        const std::string uri = migration_uri(w[i + 1], *m);
        if (!uri.empty()) {
          w[i + 1] = uri;
          r.note = " Written as nova migrates here: as " + std::string(m->user) +
                   (m->port.empty() ? std::string() : " on port " + std::string(m->port)) +
                   " with the key " + std::string(m->keyfile) +
                   ", so the check tests that user's keys and known_hosts.";
        }
      }
      ++i;
    }
  }
  if (rotated && is_grep(tool)) {
    w[0] = "zgrep";  // reads the .1 and .gz rotations too
    if (std::find(w.begin(), w.end(), "-h") == w.end()) w.insert(w.begin() + 1, "-h");
  }
  if (tool == "journalctl" && d.kind == deployment_kind::kubernetes && libvirt_units_only(w)) {
    // OpenStack-Helm's libvirt chart logs libvirtd to the node's file
    // (conf.libvirt.log_outputs "1:file:/var/log/libvirt/libvirtd.log",
    // hostPath /var/log/libvirt), not to the journal.
    w = {"cat", "/var/log/libvirt/libvirtd.log"};
    r.note = " OpenStack-Helm's libvirt chart writes libvirtd's log to the node's "
             "/var/log/libvirt/libvirtd.log (conf.libvirt.log_outputs).";
  } else if (tool == "journalctl" || tool == "systemctl") {
    w = rename_units(w, d);
  }
  if (!journal_unit.empty() || k8s_nova_logs) {
    w.erase(std::remove(w.begin(), w.end(), "/var/log/nova/nova-compute.log"), w.end());
    segment source;
    source.words = k8s_nova_logs ? words_t{"kubectl", "logs", "-n", k8s_namespace(d),
                                           d.nova_pod.empty() ? "<nova compute pod>" : d.nova_pod,
                                           "-c", "nova-compute"}
                                 : words_t{"journalctl", "-u", journal_unit, "--no-pager"};
    source.sep = "|";
    r.segs.push_back(std::move(source));
  } else if ((wrap_libvirt || wrap_nova) && first) {
    words_t prefix = exec_prefix(d, wrap_libvirt);
    w.insert(w.begin(), prefix.begin(), prefix.end());
  } else if (wrap_migration_target && first) {
    w.insert(w.begin(), {"podman", "exec", "nova_migration_target"});
  }
  r.segs.push_back(std::move(s));
}

// Debug and sanitizer builds stop on a rendering the checker refuses.
[[maybe_unused]] void render_bug(const std::string& cmd, const std::string& why) {
#if !defined(NDEBUG) || defined(__SANITIZE_ADDRESS__)
  std::fprintf(stderr, "bug: rendered command '%s' is not read-only: %s\n", cmd.c_str(), why.c_str());
  std::abort();
#else
  (void)cmd;
  (void)why;
#endif
}

}  // namespace

confirm_command render_for(const confirm_command& c, const host_deployment& d) {
  std::vector<segment> segs;
  if (!split_raw(c.command, segs)) return c;
  rendered r;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const bool first = i == 0 || segs[i - 1].sep != "|";
    render_segment(std::move(segs[i]), first, d, r);
  }
  confirm_command out{c.where, join(r.segs), c.why + r.note};
  if (out.command == c.command) return c;
  std::string why;
  if (!is_read_only_shown_command(out.command, why)) {
    render_bug(out.command, why);
    // Said, not hidden: the operator learns the command is the package form,
    // and golden.confirm-commands-read-only fails on this sentence.
    return {c.where, c.command,
            c.why + " (not rewritten for " + std::string(describe(d.kind)) +
                ": the rewritten form was not provably read-only)"};
  }
  return out;
}

}  // namespace migsleuth::classifiers
