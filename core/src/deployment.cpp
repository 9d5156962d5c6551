#include "migsleuth/core/deployment.hpp"

#include <array>
#include <utility>

namespace migsleuth {
namespace {

struct kind_names {
  deployment_kind kind;
  std::string_view name;
  std::string_view human;
};

constexpr std::array<kind_names, 5> kKinds{{
    {deployment_kind::plain, "plain", "plain packages"},
    {deployment_kind::tripleo, "tripleo", "TripleO/RHOSP containers"},
    {deployment_kind::edpm, "edpm", "EDPM/RHOSO containers"},
    {deployment_kind::kolla, "kolla", "kolla containers"},
    {deployment_kind::kubernetes, "kubernetes", "Kubernetes pods (OpenStack-Helm)"},
}};

}  // namespace

std::string_view to_string(deployment_kind k) noexcept {
  for (const auto& n : kKinds) {
    if (n.kind == k) return n.name;
  }
  return "plain";
}

std::string_view describe(deployment_kind k) noexcept {
  for (const auto& n : kKinds) {
    if (n.kind == k) return n.human;
  }
  return "plain packages";
}

bool parse_deployment_kind(std::string_view name, deployment_kind& out) noexcept {
  for (const auto& n : kKinds) {
    if (n.name == name) {
      out = n.kind;
      return true;
    }
  }
  return false;
}

std::optional<migration_ssh> migration_ssh_of(deployment_kind k) noexcept {
  // tripleo-heat-templates: live_migration_uri qemu+ssh://nova_migration@%s:2022/system
  // ?keyfile=/etc/nova/migration/identity; nova-operator (EDPM)
  // templates/nova/nova.conf: qemu+ssh://nova@%s/system?keyfile=/var/lib/nova/.ssh/
  // ssh-privatekey, on ssh's own port (no sshd on 2022 in edpm-ansible).
  switch (k) {
    case deployment_kind::tripleo:
      return migration_ssh{"nova_migration", "2022", "/etc/nova/migration/identity"};
    case deployment_kind::edpm:
      return migration_ssh{"nova", "", "/var/lib/nova/.ssh/ssh-privatekey"};
    default:
      return std::nullopt;
  }
}

std::string_view nova_log_dir(deployment_kind k) noexcept {
  switch (k) {
    case deployment_kind::tripleo:
    case deployment_kind::edpm:
      return "/var/log/containers/nova/";
    case deployment_kind::kolla:
      return "/var/log/kolla/nova/";
    default:
      return "/var/log/nova/";
  }
}

// EDPM runs libvirt on the host, logging where packages do.
std::string_view libvirt_log_dir(deployment_kind k) noexcept {
  switch (k) {
    case deployment_kind::tripleo:
      return "/var/log/containers/libvirt/";
    case deployment_kind::kolla:
      return "/var/log/kolla/libvirt/";
    default:
      return "/var/log/libvirt/";
  }
}

std::string_view nova_conf_path(deployment_kind k) noexcept {
  switch (k) {
    case deployment_kind::tripleo:
      return "/var/lib/config-data/puppet-generated/nova_libvirt/etc/nova/nova.conf";
    case deployment_kind::kolla:
      return "/etc/kolla/nova-compute/nova.conf";
    case deployment_kind::edpm:
      return "/var/lib/openstack/config/nova/*.conf";  // 01-nova.conf, 02-..., 25-...
    case deployment_kind::kubernetes:
      return {};
    case deployment_kind::plain:
      break;
  }
  return "/etc/nova/nova.conf";
}

// Where libvirt runs, by the projects' own sources: RHOSP 16 runs libvirtd
// in nova_libvirt, 17 (modular) virtqemud in nova_virtqemud
// (tripleo-heat-templates deployment/nova/nova-modular-libvirt-container-
// puppet.yaml); kolla's container is nova_libvirt (kolla-ansible
// ansible/roles/nova-cell/defaults/main.yml); OpenStack-Helm's libvirt pod
// (libvirt-libvirt-default-*) has a container named libvirt
// (openstack-helm libvirt/templates/daemonset-libvirt.yaml). EDPM runs it on
// the host, from packages (edpm-ansible roles/edpm_libvirt/tasks/install.yml):
// none.
std::string_view default_libvirt_container(deployment_kind k) noexcept {
  switch (k) {
    case deployment_kind::tripleo:
    case deployment_kind::kolla:
      return "nova_libvirt";
    case deployment_kind::kubernetes:
      return "libvirt";
    case deployment_kind::edpm:
    case deployment_kind::plain:
      break;
  }
  return {};
}

std::string_view nova_container(deployment_kind k) noexcept {
  switch (k) {
    case deployment_kind::plain:
      return {};
    case deployment_kind::kubernetes:
      return "nova-compute";
    default:
      return "nova_compute";
  }
}

std::string_view container_engine(deployment_kind k) noexcept {
  switch (k) {
    case deployment_kind::tripleo:
    case deployment_kind::edpm:
      return "podman";
    case deployment_kind::kolla:
      return "docker";
    case deployment_kind::kubernetes:
      return "kubectl";
    case deployment_kind::plain:
      break;
  }
  return {};
}

std::string nova_unit(deployment_kind k) {
  switch (k) {
    case deployment_kind::tripleo:
      return "tripleo_nova_compute";
    case deployment_kind::edpm:
      return "edpm_nova_compute";
    case deployment_kind::kolla:
      return "kolla-nova_compute-container";
    default:
      return {};
  }
}

std::string libvirt_unit(deployment_kind k, std::string_view libvirt_container) {
  switch (k) {
    case deployment_kind::tripleo:
      return "tripleo_" + std::string(libvirt_container);
    case deployment_kind::edpm:
      return "virtqemud";  // the host's own, libvirtd masked (edpm_libvirt install.yml)
    case deployment_kind::kolla:
      return "kolla-nova_libvirt-container";
    default:
      return {};
  }
}

bool nova_logs_in_journal(deployment_kind k) noexcept { return k == deployment_kind::edpm; }

}  // namespace migsleuth
