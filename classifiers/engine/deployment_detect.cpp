// Deployment detection (deployment.hpp): the signs each host's files give,
// strongest first. Paths are those of the bundle (a host folder, a sosreport
// or a tarball member), so a sign is a path segment found anywhere in them:
//
//   kubernetes  var/log/pods/NS_POD_UID/...   var/log/containers/POD_NS_CONTAINER-ID.log,
//               or a file whose content is a container runtime's log (CRI, docker json-file)
//   kolla       var/log/kolla/   etc/kolla/   /var/lib/kolla/venv/ in nova's own lines
//   edpm        a journal export of an edpm_* unit, var/lib/openstack/config/, or
//               nova-compute records in the journal under the nova_compute
//               container's name (EDPM logs nova to the journal; TripleO to files)
//   tripleo     var/log/containers/nova/, var/log/containers/libvirt/,
//               var/lib/config-data/puppet-generated/, a tripleo_* unit
//
// Modular libvirt (virtqemud in a path or a line of that host) selects the
// nova_virtqemud container instead of nova_libvirt.
#include <algorithm>
#include <map>
#include <string>

#include "migsleuth/classifiers/deployment.hpp"

namespace migsleuth::classifiers {
namespace {

struct sign {
  int strength = 0;  // 0 none, 10s tripleo, 20s edpm, 30s kolla, 40s kubernetes; the
                     // units say which sign of a kind gives the clearest reason
  deployment_kind kind = deployment_kind::plain;
  std::string why;
};

struct host_signs {
  sign best;
  bool modular_libvirt = false;
  bool package_layout = false;  // var/log/nova/ or var/log/libvirt/ itself
  std::string journal_unit;  // nova-compute's, from a journal export's file name
  std::string k8s_namespace, nova_pod, libvirt_pod;
};

void offer(host_signs& h, int strength, deployment_kind kind, std::string why) {
  if (strength > h.best.strength) h.best = {strength, kind, std::move(why)};
}

bool has(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

// "journalctl_--no-pager_--unit_edpm_nova_compute" -> "edpm_nova_compute".
std::string journal_unit(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  const std::string_view name = path.substr(slash == std::string_view::npos ? 0 : slash + 1);
  for (const std::string_view key : {"--unit_", "--unit=", "_-u_"}) {
    const std::size_t at = name.find(key);
    if (at == std::string_view::npos) continue;
    std::string_view unit = name.substr(at + key.size());
    unit = unit.substr(0, unit.find("_--"));
    if (unit.size() > 8 && unit.substr(unit.size() - 8) == ".service") unit.remove_suffix(8);
    if (!unit.empty()) return std::string(unit);
  }
  return {};
}

bool is_hex_id(std::string_view s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

// Kubernetes log paths, by kubelet's shapes (a folder named containers/
// alone is TripleO's var/log/containers/nova/):
//   var/log/pods/NS_POD_UID/CONTAINER/N.log[.DATE[.gz]]   (UID: the pod's 36-char UUID)
//   var/log/containers/POD_NS_CONTAINER-ID.log            (ID: 64 hex digits)
// Returns how the path showed it, or "".
std::string kubernetes_path(std::string_view path, host_signs& h) {
  std::string ns, pod, how;
  if (const std::size_t at = path.find("var/log/pods/"); at != std::string_view::npos) {
    std::string_view dir = path.substr(at + 13);
    dir = dir.substr(0, dir.find('/'));
    const std::size_t u1 = dir.find('_');
    const std::size_t u2 = dir.find('_', u1 == std::string_view::npos ? dir.size() : u1 + 1);
    if (u1 == std::string_view::npos || u2 == std::string_view::npos ||
        dir.size() - u2 - 1 != 36) {
      return {};
    }
    ns = std::string(dir.substr(0, u1));
    pod = std::string(dir.substr(u1 + 1, u2 - u1 - 1));
    how = "pod logs under var/log/pods/";
  } else if (const std::size_t c = path.find("var/log/containers/"); c != std::string_view::npos) {
    const std::string_view file = path.substr(c + 19);
    const std::size_t u1 = file.find('_');
    const std::size_t u2 = file.find('_', u1 == std::string_view::npos ? file.size() : u1 + 1);
    const std::size_t dash = file.rfind('-');
    if (u1 == std::string_view::npos || u2 == std::string_view::npos || has(file, "/") ||
        dash == std::string_view::npos || dash < u2 || file.size() < dash + 5 ||
        !is_hex_id(file.substr(dash + 1, file.size() - dash - 5))) {
      return {};
    }
    pod = std::string(file.substr(0, u1));
    ns = std::string(file.substr(u1 + 1, u2 - u1 - 1));
    how = "pod logs under var/log/containers/ (kubelet's POD_NAMESPACE_CONTAINER-ID.log)";
  } else {
    return {};
  }
  if (ns.empty() || pod.empty()) return {};
  if (h.k8s_namespace.empty()) h.k8s_namespace = ns;
  if (pod.rfind("nova-compute", 0) == 0 && h.nova_pod.empty()) h.nova_pod = pod;
  if (pod.rfind("libvirt", 0) == 0 && h.libvirt_pod.empty()) h.libvirt_pod = pod;
  return how + ", namespace " + ns;
}

// A container log read by its content (ingest/src/pod_log.hpp says so
// first in kind_reason), wherever it was saved.
bool container_log_content(const input& in) {
  for (const std::string_view f : {"CRI container log", "docker json-file container log",
                                   "kubectl logs --timestamps output"}) {
    if (in.kind_reason.rfind(f, 0) == 0) return true;
  }
  return false;
}

// What a path's folders show. Every sign below but a file name's own ends
// in '/', and a name holds none: such a sign lies wholly in the folders, so
// it is looked for once for the files of one folder (100,000 files, 10
// folders: a search of each path for each sign was most of this stage).
struct folder_signs {
  std::string dir;  // the path up to its last '/'
  bool kubernetes = false;  // kubernetes_path may find a pod in it
  bool kolla_logs = false, kolla_config = false, openstack_config = false;
  bool containers_nova = false, puppet_config = false, containers_libvirt = false;
  bool virtqemud = false, package_layout = false;

  void read(std::string_view d) {
    dir.assign(d);
    kubernetes = has(d, "var/log/pods/") || has(d, "var/log/containers/");
    kolla_logs = has(d, "var/log/kolla/");
    kolla_config = has(d, "etc/kolla/");
    openstack_config = has(d, "var/lib/openstack/config/");
    containers_nova = has(d, "var/log/containers/nova/");
    puppet_config = has(d, "var/lib/config-data/puppet-generated/");
    containers_libvirt = has(d, "var/log/containers/libvirt/");
    virtqemud = has(d, "virtqemud");
    package_layout = has(d, "var/log/nova/") || has(d, "var/log/libvirt/");
  }
};

// `path` is a buffer reused from input to input; `folder` what the last
// input's folders showed.
void path_signs(const input& in, host_signs& h, std::string& path, folder_signs& folder) {
  path.clear();
  in.path.append_to(path);
  const std::string_view p = path;
  const std::size_t slash = p.rfind('/');
  const std::string_view dir = p.substr(0, slash == std::string_view::npos ? 0 : slash + 1);
  const std::string_view name = p.substr(dir.size());
  if (folder.dir != dir) folder.read(dir);
  if (folder.kubernetes) {
    if (const std::string how = kubernetes_path(p, h); !how.empty()) {
      offer(h, 41, deployment_kind::kubernetes, how);
    }
  }
  if (container_log_content(in)) {
    offer(h, 40, deployment_kind::kubernetes,
          "its content is a " +
              in.kind_reason.substr(0, in.kind_reason.find(", read as its lines")));
  }
  if (folder.kolla_logs) offer(h, 32, deployment_kind::kolla, "logs under var/log/kolla/");
  if (folder.kolla_config) offer(h, 31, deployment_kind::kolla, "config under etc/kolla/");
  const std::string unit = journal_unit(name);
  if (!unit.empty() && in.kind == input_kind::nova_compute) h.journal_unit = unit;
  if (unit.rfind("edpm_", 0) == 0) {
    offer(h, 22, deployment_kind::edpm, "journal of unit " + unit);
  }
  if (folder.openstack_config) {
    offer(h, 21, deployment_kind::edpm, "config under var/lib/openstack/config/");
  }
  if (unit.rfind("tripleo_", 0) == 0) {
    offer(h, 11, deployment_kind::tripleo, "journal of unit " + unit);
  }
  if (folder.containers_nova) {
    offer(h, 12, deployment_kind::tripleo, "logs under var/log/containers/nova/");
  }
  if (folder.puppet_config) {
    offer(h, 11, deployment_kind::tripleo,
          "config under var/lib/config-data/puppet-generated/");
  }
  if (folder.containers_libvirt) {
    offer(h, 10, deployment_kind::tripleo, "logs under var/log/containers/libvirt/");
  }
  if (folder.virtqemud || has(name, "virtqemud")) h.modular_libvirt = true;
  if (folder.package_layout) h.package_layout = true;
}

// What line_signs looks for in a line; shows_deployment says whether it
// would find any.
constexpr std::string_view kModularLibvirt = "virtqemud";
constexpr std::string_view kKollaVenv = "/var/lib/kolla/venv/";
constexpr std::string_view kNovaComputeJournal = " nova_compute[";

void line_signs(const event& ev, host_signs& h) {
  const std::string_view t = ev.text;
  if (has(t, kModularLibvirt)) h.modular_libvirt = true;
  if (ev.source != input_kind::nova_compute) return;
  if (has(t, kKollaVenv)) {
    offer(h, 30, deployment_kind::kolla, "nova runs from /var/lib/kolla/venv/ (kolla source images)");
  }
  // "Mar 16 14:44:02 edpm-compute-2 nova_compute[118204]: 2026-..." : the
  // container's name as the journal's identifier. Only an inference: files in
  // the package layout on the same host outweigh it.
  if (has(t, kNovaComputeJournal) && !h.package_layout) {
    offer(h, 20, deployment_kind::edpm,
          "nova-compute records in the journal from the nova_compute container (EDPM logs "
          "nova to the journal; TripleO writes var/log/containers/nova/)");
  }
}

std::string_view short_name(std::string_view host) { return host.substr(0, host.find('.')); }

}  // namespace

bool shows_deployment(const event& ev) {
  const std::string_view t = ev.text;
  if (has(t, kModularLibvirt)) return true;
  return ev.source == input_kind::nova_compute && (has(t, kKollaVenv) || has(t, kNovaComputeJournal));
}

std::vector<host_deployment> detect_deployments(std::span<const input> inputs,
                                                std::span<const event> events) {
  std::map<std::string, host_signs, std::less<>> hosts;
  std::string path;
  folder_signs folder;
  for (const auto& in : inputs) {
    if (in.host.empty()) continue;
    path_signs(in, hosts[in.host], path, folder);
  }
  for (const auto& ev : events) {
    if (ev.host.empty()) continue;
    const auto it = hosts.find(ev.host);
    if (it != hosts.end()) line_signs(ev, it->second);
  }
  std::vector<host_deployment> out;
  for (auto& [name, h] : hosts) {
    host_deployment d;
    d.host = name;
    d.kind = h.best.kind;
    d.why = h.best.strength == 0 ? "no container or pod layout in its files" : h.best.why;
    d.nova_journal_unit = h.journal_unit;
    d.k8s_namespace = h.k8s_namespace;
    d.nova_pod = h.nova_pod;
    d.libvirt_pod = h.libvirt_pod;
    out.push_back(std::move(d));
  }
  for (auto& d : out) {
    const host_signs& h = hosts.find(d.host)->second;
    d.libvirt_container = std::string(default_libvirt_container(d.kind));
    if (d.kind == deployment_kind::tripleo && h.modular_libvirt) {
      d.libvirt_container = "nova_virtqemud";
      d.why += "; modular libvirt (virtqemud)";
    }
  }
  return out;
}

void force_deployment(std::vector<host_deployment>& hosts, deployment_kind kind) {
  for (auto& d : hosts) {
    d.kind = kind;
    d.why = "--deployment " + std::string(to_string(kind));
    d.libvirt_container = std::string(default_libvirt_container(kind));
  }
}

const host_deployment* deployment_of(std::span<const host_deployment> hosts,
                                     std::string_view host) noexcept {
  if (host.empty()) return nullptr;
  for (const auto& d : hosts) {
    if (d.host == host) return &d;
  }
  for (const auto& d : hosts) {
    if (short_name(d.host) == short_name(host)) return &d;
  }
  return nullptr;
}

}  // namespace migsleuth::classifiers
