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

}  // namespace migsleuth
