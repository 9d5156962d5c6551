// Controller commands written for the control plane of the bundle's
// deployment (deployment.hpp render_for_controller). TripleO's and kolla's
// controllers share the computes' layout (render_for); EDPM's and
// Kubernetes' control planes run in pods:
//
//   EDPM/RHOSO   openstack ...            oc rsh -n openstack openstackclient openstack ...
//                                         (the client pod the RHOSO docs and the
//                                         openstack-k8s-operators docs use)
//                grep X /var/log/nova/nova-conductor.log
//                                         oc logs -n openstack nova-cell1-conductor-0 | grep X
//                .../nova-scheduler.log   oc logs -n openstack nova-scheduler-0 | grep X
//                                         (nova-operator's pods: the service hosts that
//                                         `openstack compute service list` shows there)
//   Kubernetes   openstack ...            unchanged: OpenStack-Helm runs no client pod; its
//   (OpenStack-Helm)                      docs run the client where clouds.yaml is
//                                         (tools/deployment/common/setup-client.sh:
//                                         cloud openstack_helm, export OS_CLOUD=openstack_helm)
//                conductor / scheduler    kubectl logs -n NS <nova conductor pod> | grep X
#include <algorithm>

#include "engine/command_segments.hpp"
#include "migsleuth/classifiers/deployment.hpp"

namespace migsleuth::classifiers {
namespace {

using words_t = std::vector<std::string>;

bool is_grep(std::string_view tool) {
  return tool == "grep" || tool == "egrep" || tool == "fgrep" || tool == "zgrep";
}

// The control-plane service whose log file `w` reads, or "".
std::string_view service_log(const words_t& w) {
  if (w.empty() || !is_grep(w[0])) return {};
  for (const auto& x : w) {
    if (x == "/var/log/nova/nova-conductor.log") return "conductor";
    if (x == "/var/log/nova/nova-scheduler.log") return "scheduler";
  }
  return {};
}

words_t service_log_source(const host_deployment& d, std::string_view service) {
  if (d.kind == deployment_kind::edpm) {
    return {"oc", "logs", "-n", "openstack",
            service == "conductor" ? "nova-cell1-conductor-0" : "nova-scheduler-0"};
  }
  const std::string ns = d.k8s_namespace.empty() ? "openstack" : d.k8s_namespace;
  return {"kubectl", "logs", "-n", ns,
          service == "conductor" ? "<nova conductor pod>" : "<nova scheduler pod>"};
}

}  // namespace

confirm_command render_for_controller(const confirm_command& c, const host_deployment& d) {
  if (d.kind != deployment_kind::edpm && d.kind != deployment_kind::kubernetes) return c;
  std::vector<segment> segs;
  if (!split_raw(c.command, segs)) return c;
  std::vector<segment> out;
  std::string note;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    segment s = std::move(segs[i]);
    const bool first = i == 0 || segs[i - 1].sep != "|";
    words_t& w = s.words;
    const std::string_view service = first ? service_log(w) : std::string_view();
    if (first && !w.empty() && w[0] == "openstack") {
      if (d.kind == deployment_kind::edpm) {
        w.insert(w.begin(), {"oc", "rsh", "-n", "openstack", "openstackclient"});
        note = " On RHOSO the client runs in the control plane's openstackclient pod.";
      } else {
        note = " OpenStack-Helm runs no client pod: run it where the cloud's clouds.yaml is "
               "(OpenStack-Helm's own setup: export OS_CLOUD=openstack_helm).";
      }
    } else if (!service.empty()) {
      const std::string file = "/var/log/nova/nova-" + std::string(service) + ".log";
      w.erase(std::remove(w.begin(), w.end(), file), w.end());
      if (w[0] == "zgrep") w[0] = "grep";
      w.erase(std::remove(w.begin(), w.end(), "-h"), w.end());
      segment source{service_log_source(d, service), "|"};
      out.push_back(std::move(source));
      note = d.kind == deployment_kind::edpm
                 ? " On RHOSO nova's " + std::string(service) + " logs to its pod" +
                       (service == "conductor" ? " (cell1's, the default cell)." : ".")
                 : " On OpenStack-Helm nova's " + std::string(service) +
                       " logs to its pod (kubectl get pods -n " +
                       (d.k8s_namespace.empty() ? std::string("openstack") : d.k8s_namespace) +
                       " names it).";
    }
    out.push_back(std::move(s));
  }
  confirm_command r{c.where, join(out), c.why + note};
  std::string why;
  if (r.command != c.command && !is_read_only_shown_command(r.command, why)) {
    return {c.where, c.command,
            c.why + " (not rewritten for " + std::string(describe(d.kind)) +
                ": the rewritten form was not provably read-only)"};
  }
  return r;
}

}  // namespace migsleuth::classifiers
