// render_for_deployments (deployment.hpp): which host each confirm command
// runs on, its deployment, and each command once. A command for both hosts
// whose deployments write it differently becomes one per host.
#include <algorithm>
#include <map>

#include "migsleuth/classifiers/deployment.hpp"

namespace migsleuth::classifiers {
namespace {

struct hosts_of {
  const host_deployment* source = nullptr;
  const host_deployment* destination = nullptr;
  const host_deployment* controller = nullptr;     // a controller laid out as the computes
  const host_deployment* control_plane = nullptr;  // computes whose control plane runs in pods
};

// EDPM's and Kubernetes' control plane runs in pods (render_for_controller).
const host_deployment* pod_control_plane(const host_deployment* compute) {
  if (compute != nullptr && (compute->kind == deployment_kind::edpm ||
                             compute->kind == deployment_kind::kubernetes)) {
    return compute;
  }
  return nullptr;
}

// Controllers share the computes' layout in TripleO and kolla.
const host_deployment* controller_like(const host_deployment* compute) {
  if (compute != nullptr && (compute->kind == deployment_kind::tripleo ||
                             compute->kind == deployment_kind::kolla)) {
    return compute;
  }
  return nullptr;
}

// The deployment every host of the bundle has, or null when they differ.
const host_deployment* uniform_deployment(std::span<const host_deployment> hosts) {
  if (hosts.empty()) return nullptr;
  for (const auto& d : hosts) {
    if (d.kind != hosts.front().kind || d.libvirt_container != hosts.front().libvirt_container) {
      return nullptr;
    }
  }
  return &hosts.front();
}

void render_into(const confirm_command& c, const hosts_of& h, std::vector<confirm_command>& out) {
  const auto one = [&out, &c](const host_deployment* d, run_where where) {
    confirm_command r = d != nullptr ? render_for(c, *d) : c;
    r.where = where;
    out.push_back(std::move(r));
  };
  switch (c.where) {
    case run_where::source:
      one(h.source, c.where);
      break;
    case run_where::destination:
      one(h.destination, c.where);
      break;
    case run_where::controller:
      if (h.controller == nullptr && h.control_plane != nullptr) {
        out.push_back(render_for_controller(c, *h.control_plane));
      } else {
        one(h.controller, c.where);
      }
      break;
    case run_where::both: {
      const confirm_command s = h.source != nullptr ? render_for(c, *h.source) : c;
      const confirm_command d = h.destination != nullptr ? render_for(c, *h.destination) : c;
      if (s.command == d.command) {
        one(h.source != nullptr ? h.source : h.destination, run_where::both);
      } else {
        one(h.source, run_where::source);
        one(h.destination, run_where::destination);
      }
      break;
    }
  }
}

// Each command once: a repeat is dropped; one asked on the source and on the
// destination becomes one on both.
void once(std::vector<confirm_command>& cmds) {
  std::vector<confirm_command> out;
  for (auto& c : cmds) {
    const auto same = std::find_if(out.begin(), out.end(),
                                   [&c](const confirm_command& o) { return o.command == c.command; });
    if (same == out.end()) {
      out.push_back(std::move(c));
    } else if (same->where != c.where && same->where != run_where::controller &&
               c.where != run_where::controller) {
      same->where = run_where::both;
    }
  }
  cmds = std::move(out);
}

void render_all(std::vector<confirm_command>& cmds, const hosts_of& h) {
  std::vector<confirm_command> out;
  for (const auto& c : cmds) render_into(c, h, out);
  once(out);
  cmds = std::move(out);
}

}  // namespace

void render_for_deployments(std::span<const incident> incidents, std::span<verdict> verdicts,
                            std::span<loose_finding> findings,
                            std::span<const host_deployment> hosts) {
  const host_deployment* uniform = uniform_deployment(hosts);
  for (std::size_t i = 0; i < verdicts.size() && i < incidents.size(); ++i) {
    hosts_of h;
    h.source = deployment_of(hosts, incidents[i].source);
    h.destination = deployment_of(hosts, incidents[i].destination);
    // A host the data could not name (or that has no files of its own) runs
    // as the bundle's hosts do when they all agree.
    if (h.source == nullptr) h.source = uniform;
    if (h.destination == nullptr) h.destination = uniform;
    h.controller = controller_like(h.source != nullptr ? h.source : h.destination);
    h.control_plane = pod_control_plane(h.source != nullptr ? h.source : h.destination);
    render_all(verdicts[i].confirm, h);
    for (auto& f : verdicts[i].secondary) render_all(f.confirm, h);
  }
  for (auto& lf : findings) {
    hosts_of h;
    h.source = h.destination = deployment_of(hosts, lf.host);
    if (h.source == nullptr) h.source = h.destination = uniform;
    h.controller = controller_like(h.source);
    h.control_plane = pod_control_plane(h.source);
    render_all(lf.f.confirm, h);
  }
}

}  // namespace migsleuth::classifiers
