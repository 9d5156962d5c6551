// `migsleuth collect`: options checked (a UUID, a window in order), the
// script written by collect::write_script, printed or written to -o FILE
// (executable). Usage errors exit 2 and print no script.
#include <fmt/format.h>
#include <sys/stat.h>

#include "collect_command.hpp"
#include "commands.hpp"
#include "migsleuth/collect/collect.hpp"
#include "migsleuth_version.hpp"
#include "output_file.hpp"
#include "utc_when.hpp"

namespace migsleuth::app {

CLI::App* add_collect_command(CLI::App& app, collect_options& o) {
  CLI::App* c = app.add_subcommand(
      "collect",
      "Print a POSIX shell script that gathers, read-only, what an analysis needs from a "
      "compute host (or, with --controller, from the openstack CLI) into one tarball that "
      "analyze reads as it is.");
  c->add_option("--instance", o.instance, "The instance UUID whose migrations to collect");
  c->add_option("--since", o.since,
                "Collect for every migration from this UTC time (YYYY-MM-DD[ HH:MM[:SS]]); "
                "with --instance, narrows the logs to this window");
  c->add_option("--until", o.until, "Up to this UTC time (default: when the script runs)");
  c->add_option("--deployment", o.deployment,
                "How the host runs nova and libvirt: plain, tripleo, edpm, kolla, kubernetes "
                "(default: plain)")
      ->check(CLI::IsMember({"plain", "tripleo", "edpm", "kolla", "kubernetes"}));
  c->add_flag("--controller", o.controller,
              "Gather openstack server show / migration list / hypervisor show / port show "
              "-f json instead of a compute host's logs");
  c->add_option("--out-dir", o.out_dir,
                "Where the script writes its tarball when it runs (default: the folder it "
                "runs in)");
  c->add_option("-o,--output", o.output, "Write the script to FILE (made executable) instead of "
                                         "standard output");
  c->add_option("--k8s-namespace", o.k8s_namespace,
                "kubernetes: the namespace of the nova-compute and libvirt pods (default: "
                "openstack)");
  c->add_option("--job-samples", o.job_samples,
                "virsh domjobinfo samples taken while a job is active (default 10, 1 to 600)");
  c->add_option("--job-interval", o.job_interval,
                "Seconds between two domjobinfo samples (default 1, 0 to 60)");
  return c;
}

int run_collect(const collect_options& o) {
  collect::request r;
  r.where = o.controller ? collect::target::controller : collect::target::compute;
  if (!parse_deployment_kind(o.deployment, r.deployment)) {
    fmt::print(stderr, "error: --deployment '{}' is not plain, tripleo, edpm, kolla or kubernetes\n",
               o.deployment);
    return kExitUsage;
  }
  timestamp since, until;
  if (!parse_when(o.since, since) || !parse_when(o.until, until)) {
    fmt::print(stderr, "error: --since/--until take 'YYYY-MM-DD[ HH:MM[:SS]]' (UTC)\n");
    return kExitUsage;
  }
  if (!o.since.empty()) r.since = since;
  if (!o.until.empty()) r.until = until;
  if (r.until && !r.since && o.instance.empty()) {
    fmt::print(stderr, "error: --until needs --since (or --instance)\n");
    return kExitUsage;
  }
  r.instance = o.instance;
  r.out_dir = o.out_dir;
  r.k8s_namespace = o.k8s_namespace;
  r.job_samples = o.job_samples;
  r.job_interval_s = o.job_interval;
  r.version = MIGSLEUTH_VERSION;
  const collect::script s = collect::write_script(r);
  if (!s.error.empty()) {
    fmt::print(stderr, "error: {}\n", s.error);
    return kExitUsage;
  }
  if (o.output.empty()) return write_stdout(s.text);
  std::string error;
  const auto out = output_file::open(o.output, error);
  if (!out) {
    fmt::print(stderr, "error: {}\n", error);
    return kExitWriteFailed;
  }
  out->stream().write(s.text.data(), static_cast<std::streamsize>(s.text.size()));
  if (!out->commit()) return report_write_failure(*out);
  // A script to run: executable, when it is a regular file (never a device).
  struct stat st {};
  if (o.output != "-" && ::stat(o.output.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    ::chmod(o.output.c_str(), st.st_mode | 0111);
  }
  return kExitOk;
}

}  // namespace migsleuth::app
