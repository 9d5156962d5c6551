// `migsleuth preflight PATH...`: reads hypervisor show / virsh capabilities /
// domcapabilities captures per host and prints the pairwise matrix and the
// baseline CPU model (README "Preflight"). Exit codes as for analyze.
#include <fmt/format.h>

#include <cstdio>

#include "commands.hpp"
#include "input_guard.hpp"
#include "output_file.hpp"
#include "migsleuth/classifiers/deployment.hpp"
#include "migsleuth/preflight/preflight.hpp"
#include "preflight_command.hpp"

namespace migsleuth::app {

CLI::App* add_preflight_command(CLI::App& app, preflight_options& opt) {
  CLI::App* cmd = app.add_subcommand(
      "preflight",
      "Which hosts can take which live-migrated guests (host-passthrough, host-model, "
      "custom), and the CPU model that makes the fleet compatible. PATHs hold per host "
      "`openstack hypervisor show -f json`, `virsh -r capabilities` and "
      "`virsh -r domcapabilities` captures (files, folders, tarballs, sosreports).");
  cmd->add_option("paths", opt.paths, "Files or folders to read (recursively)")->required();
  cmd->add_option("-f,--format", opt.format, "Output format: text, markdown or json")
      ->check(CLI::IsMember({"text", "markdown", "md", "json"}));
  cmd->add_option("-o,--output", opt.output, "Write to FILE instead of stdout");
  cmd->add_option("--cpu-model", opt.cpu_model,
                  "Also check [libvirt] cpu_mode = custom with this model (e.g. Cascadelake-Server)");
  cmd->add_option("--extra-flags", opt.extra_flags,
                  "cpu_model_extra_flags to check with --cpu-model; repeatable")
      ->delimiter(',');
  cmd->add_option("--deployment", opt.deployment,
                  "Write the commands for plain, tripleo, edpm, kolla or kubernetes hosts "
                  "(default: plain; captures do not show a deployment)")
      ->check(CLI::IsMember({"plain", "tripleo", "edpm", "kolla", "kubernetes"}));
  return cmd;
}

int run_preflight(const preflight_options& opt) {
  if (const int rc = check_outputs({{"-o", opt.output}}, opt.paths); rc != kExitOk) return rc;
  const preflight::fleet f = preflight::collect(opt.paths);
  preflight::options po;
  po.cpu_model = opt.cpu_model;
  po.extra_flags = opt.extra_flags;
  if (po.cpu_model.empty() && !po.extra_flags.empty()) {
    fmt::print(stderr, "error: --extra-flags needs --cpu-model\n");
    return kExitUsage;
  }
  preflight::result r = preflight::analyze(f, po);
  if (deployment_kind k{}; parse_deployment_kind(opt.deployment, k) && k != deployment_kind::plain) {
    // The same rewriting as analyze's (README "Deployments"): virsh in the
    // libvirt container; openstack commands do not change.
    std::vector<host_deployment> fleet(1);
    classifiers::force_deployment(fleet, k);
    for (auto& c : r.confirm) {
      c = classifiers::render_for({run_where::both, c, {}}, fleet.front()).command;
    }
  }
  const std::string body = opt.format == "json"                         ? preflight::write_json(r)
                           : (opt.format == "markdown" || opt.format == "md") ? preflight::write_markdown(r)
                                                                        : preflight::write_text(r);
  std::string error;
  const auto out = output_file::open(opt.output.empty() ? "-" : opt.output, error);
  if (!out) {
    fmt::print(stderr, "error: {}\n", error);
    return kExitWriteFailed;
  }
  out->stream().write(body.data(), static_cast<std::streamsize>(body.size()));
  if (!out->commit()) return report_write_failure(*out);
  if (f.hosts.empty()) fmt::print(stderr, "warning: no host CPU facts found under the given paths\n");
  return f.any_unreadable ? kExitUnreadable : kExitOk;
}

}  // namespace migsleuth::app
