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

// Where each deployment keeps what an analysis reads: one place for the paths,
// containers and units that confirm commands are rewritten with
// (classifiers/engine/deployment_render.cpp) and that `migsleuth collect`
// gathers (collect/).
//
// The folder of nova's logs on the host, with a trailing '/':
// /var/log/nova/, /var/log/containers/nova/ (TripleO, EDPM), /var/log/kolla/nova/.
std::string_view nova_log_dir(deployment_kind k) noexcept;
// The libvirt folder holding qemu/DOMAIN.log and libvirtd.log / virtqemud.log.
std::string_view libvirt_log_dir(deployment_kind k) noexcept;
// nova.conf as the host holds it: TripleO's puppet-generated copy, kolla's
// /etc/kolla/nova-compute/nova.conf, EDPM's /var/lib/openstack/config/nova/*.conf
// (a glob: 01-nova.conf, 02-...), empty on Kubernetes (only inside the pod).
std::string_view nova_conf_path(deployment_kind k) noexcept;
// The libvirt container virsh runs in before anything tells more:
// nova_libvirt (TripleO 16, kolla), nova_virtqemud (EDPM), libvirt (the
// OpenStack-Helm pod's container); empty for plain packages.
std::string_view default_libvirt_container(deployment_kind k) noexcept;
// The nova-compute container: nova_compute, or nova-compute in the pod.
std::string_view nova_container(deployment_kind k) noexcept;
// What runs a command in a container: podman, docker, kubectl; empty for plain.
std::string_view container_engine(deployment_kind k) noexcept;
// The systemd unit of nova-compute / of the libvirt daemon running in
// `libvirt_container`: tripleo_nova_compute, edpm_nova_virtqemud,
// kolla-nova_libvirt-container; empty when the deployment has none
// (plain: the distribution's own names; Kubernetes: pods).
std::string nova_unit(deployment_kind k);
std::string libvirt_unit(deployment_kind k, std::string_view libvirt_container);
// EDPM writes nova-compute's records to the journal of its unit, not to files.
bool nova_logs_in_journal(deployment_kind k) noexcept;

}  // namespace migsleuth
