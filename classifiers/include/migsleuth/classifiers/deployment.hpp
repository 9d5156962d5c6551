// Which deployment each host runs (plain packages, TripleO/RHOSP, EDPM/RHOSO,
// kolla, Kubernetes), read from the layout and content of its files, and the
// confirm commands rewritten so that they run as written there: virsh inside
// the libvirt container, the real log paths with their rotations, the real
// config paths, the user and key nova migrates with over qemu+ssh.
//
//   auto hosts = detect_deployments(inputs, events);       // default: plain
//   render_for_deployments(incidents, verdicts, findings, hosts);
#pragma once

#include <span>
#include <vector>

#include "migsleuth/classifiers/classify.hpp"
#include "migsleuth/core/deployment.hpp"
#include "migsleuth/core/event.hpp"
#include "migsleuth/core/incident.hpp"
#include "migsleuth/core/input.hpp"
#include "migsleuth/core/verdict.hpp"

namespace migsleuth::classifiers {

// One entry per host that has inputs, in host order, each with the reason.
// Deterministic: the strongest sign wins (kubernetes > kolla > edpm > tripleo),
// the first input in walk order that shows it gives the reason.
[[nodiscard]] std::vector<host_deployment> detect_deployments(std::span<const input> inputs,
                                                              std::span<const event> events);

// Whether detect_deployments reads a sign in this line's text (modular
// libvirt, kolla's venv, nova in the journal): such a line is read whether
// or not its instance migrated (ingest keeps it in memory).
[[nodiscard]] bool shows_deployment(const event& ev);

// --deployment NAME: every host is taken as `kind`, keeping what its files
// told (journal unit, pod names) where it applies.
void force_deployment(std::vector<host_deployment>& hosts, deployment_kind kind);

// The deployment of `host` (exact name, else the same short name), or null.
[[nodiscard]] const host_deployment* deployment_of(std::span<const host_deployment> hosts,
                                                   std::string_view host) noexcept;

// `c` written for `d`: one command, or the same one unchanged for plain
// packages apart from log rotations. Every result passes the read-only
// checker; a rewrite that would not keeps the original.
[[nodiscard]] confirm_command render_for(const confirm_command& c, const host_deployment& d);

// A controller command written for the control plane of a bundle whose
// computes run as `compute`: RHOSO's openstackclient pod and control-plane
// pod logs for EDPM, pod logs for Kubernetes (the openstack client stays,
// with where to run it); any other deployment gives `c` unchanged.
[[nodiscard]] confirm_command render_for_controller(const confirm_command& c,
                                                    const host_deployment& compute);

// Every confirm command of the verdicts (primary and secondary findings) and
// of the loose findings, written for the deployment of the host it runs on
// (source, destination, both: each host's; controller: the bundle's), then
// each command once.
void render_for_deployments(std::span<const incident> incidents, std::span<verdict> verdicts,
                            std::span<loose_finding> findings,
                            std::span<const host_deployment> hosts);

}  // namespace migsleuth::classifiers
