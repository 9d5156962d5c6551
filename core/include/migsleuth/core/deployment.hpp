// How a host runs nova and libvirt, as its files show it: plain packages,
// TripleO/RHOSP or EDPM/RHOSO podman containers, kolla docker containers, or
// Kubernetes pods (OpenStack-Helm). Confirm commands are written for it
// (classifiers/engine/deployment_render.cpp): the container a virsh runs in,
// the real log and config paths, the user nova migrates as.
//
// What it does not do: detect anything (classifiers/engine/deployment_detect.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace migsleuth {

enum class deployment_kind : std::uint8_t { plain, tripleo, edpm, kolla, kubernetes };

// "plain", "tripleo", "edpm", "kolla", "kubernetes" (JSON, --deployment).
std::string_view to_string(deployment_kind k) noexcept;
bool parse_deployment_kind(std::string_view name, deployment_kind& out) noexcept;
// For people: "TripleO/RHOSP containers", "plain packages", ...
std::string_view describe(deployment_kind k) noexcept;

struct host_deployment {
  std::string host;
  deployment_kind kind = deployment_kind::plain;
  std::string why;  // "logs under var/log/containers/nova/ (TripleO/RHOSP)"
  // The container (or Kubernetes container) virsh runs in: nova_libvirt or
  // nova_virtqemud (modular libvirt), the pod container libvirt; empty where
  // libvirt runs on the host (plain packages, EDPM).
  std::string libvirt_container;
  // When the host's nova-compute records were read from a journal export of
  // this unit (edpm_nova_compute), commands read the journal, not a file.
  std::string nova_journal_unit;
  // Kubernetes: the namespace and pod names the log paths gave, or empty.
  std::string k8s_namespace;
  std::string nova_pod;
  std::string libvirt_pod;
};

// The user, port and key a deployment's qemu+ssh migrations use, when it
// defines one (TripleO: nova_migration on 2022 with /etc/nova/migration/identity).
struct migration_ssh {
  std::string_view user;
  std::string_view port;  // empty: ssh's own (22)
  std::string_view keyfile;
};
std::optional<migration_ssh> migration_ssh_of(deployment_kind k) noexcept;

}  // namespace migsleuth
