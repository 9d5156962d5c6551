// `migsleuth report-fleet DB -o FILE` and the page `scan --html` writes.
// Per-bundle reports (--incident-html DIR) are the `analyze --format html`
// report of each bundle with a failure, made by analyzing the bundle again:
// the database keeps rows, not the events a timeline is drawn from.
#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <set>

#include "commands.hpp"
#include "fleet_page.hpp"
#include "input_guard.hpp"
#include "migsleuth/ingest/ingest.hpp"
#include "migsleuth/report/fleet.hpp"
#include "migsleuth/report/report.hpp"
#include "migsleuth/scan/scan.hpp"
#include "migsleuth_version.hpp"
#include "output_file.hpp"

namespace migsleuth::app {
namespace {

namespace fs = std::filesystem;

// "b3-cmp-a-cmp-b.html": numbered in bundle-path order (so two bundles with
// one base name never share a file), then the base name in safe characters.
std::string page_name(std::size_t n, const std::string& bundle) {
  std::string base = fs::path(bundle).filename().string();
  for (char& c : base) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.';
    if (!safe) c = '_';
  }
  return fmt::format("b{}-{}.html", n, base.substr(0, 60));
}

// Writes one bundle's HTML report; kExitOk, kExitUnreadable (the bundle is
// gone: nothing written) or kExitWriteFailed.
int write_bundle_report(const std::string& bundle, const std::string& path,
                        const fleet_page_options& opt, const pipeline::rule_packs& rules) {
  std::error_code ec;
  if (!fs::exists(bundle, ec)) {
    fmt::print(stderr, "warning: {}: no longer there; the fleet page shows its path only\n",
               bundle);
    return kExitUnreadable;
  }
  // The report goes beside the page, never into the bundle it is made from.
  if (const std::string conflict = output_input_conflict({{"--incident-html", path}}, {bundle});
      !conflict.empty()) {
    fmt::print(stderr, "{}", conflict);
    return kExitUsage;
  }
  ingest::ingest_options in;
  in.paths = {bundle};
  in.jobs = 1;
  const pipeline::analysis a = pipeline::run(in, {}, rules, opt.deployment);
  const report::report_data r{MIGSLEUTH_VERSION, a.inputs, a.incidents,     a.verdicts,
                              a.findings,        a.hosts,  a.host_refusals, a.deployments};
  std::string error;
  const auto out = output_file::open(path, error);
  if (!out) {
    fmt::print(stderr, "error: {}\n", error);
    return kExitWriteFailed;
  }
  out->stream() << report::write_html(r);
  return out->commit() ? kExitOk : report_write_failure(*out);
}

}  // namespace

int write_fleet_page(const fleet_page_options& opt, const pipeline::rule_packs& rules) {
  report::fleet_data data;
  data.version = MIGSLEUTH_VERSION;
  std::string error;
  if (!scan::load_fleet(opt.db, data, error)) {
    fmt::print(stderr, "error: {}\n", error);
    return kExitUsage;
  }
  data.database = opt.shown_db;
  int rc = kExitOk;
  if (!opt.incident_html.empty()) {
    std::error_code ec;
    fs::create_directories(opt.incident_html, ec);
    if (ec) {
      fmt::print(stderr, "error: cannot write {}: {}\n", opt.incident_html, ec.message());
      return kExitWriteFailed;
    }
    // Links are relative to the page, so page and reports move together.
    const fs::path page_dir = fs::absolute(opt.html == "-" ? "." : opt.html).parent_path();
    const fs::path rel = fs::absolute(opt.incident_html).lexically_relative(page_dir);
    std::set<std::string> bundles;
    for (const auto& f : data.failures) bundles.insert(f.bundle);
    std::size_t n = 0;
    for (const auto& b : bundles) {
      const std::string name = page_name(++n, b);
      const int brc =
          write_bundle_report(b, (fs::path(opt.incident_html) / name).string(), opt, rules);
      if (brc == kExitWriteFailed || brc == kExitUsage) return brc;
      if (brc != kExitOk) {
        rc = brc;
        continue;
      }
      data.bundle_pages[b] = (rel / name).generic_string();
    }
  }
  error.clear();
  const auto out = output_file::open(opt.html, error);
  if (!out) {
    fmt::print(stderr, "error: {}\n", error);
    return kExitWriteFailed;
  }
  out->stream() << report::write_fleet_html(data);
  if (!out->commit()) return report_write_failure(*out);
  return rc;
}

CLI::App* add_report_fleet_command(CLI::App& app, fleet_cli_options& opt) {
  CLI::App* c = app.add_subcommand(
      "report-fleet",
      "Write the fleet page of a scan database (also a merged one): failures by class over "
      "time, source x destination hosts, top causes, uncategorised error templates, and the "
      "failed attempts behind every number.");
  c->add_option("db", opt.db, "A database written by scan --db or merge")->required();
  c->add_option("-o,--output", opt.output, "The HTML page ('-': standard output)")->required();
  c->add_option("--incident-html", opt.incident_html,
                "Also write each failed bundle's HTML report into DIR (the bundles are analyzed "
                "again) and link every attempt to its report");
  c->add_option("--rules", opt.rule_dirs,
                "With --incident-html: extra rule-pack folder; repeatable");
  c->add_option("--deployment", opt.deployment,
                "With --incident-html: write confirm commands for this deployment: auto, plain, "
                "tripleo, edpm, kolla, kubernetes")
      ->check(CLI::IsMember({"auto", "plain", "tripleo", "edpm", "kolla", "kubernetes"}));
  return c;
}

int run_report_fleet(const fleet_cli_options& opt) {
  // The database and bundles are inputs: no output may be one or lie inside one.
  std::vector<output_target> outputs{{"-o", opt.output}, {"--incident-html", opt.incident_html}};
  std::vector<std::string> inputs{opt.db};
  inputs.insert(inputs.end(), opt.rule_dirs.begin(), opt.rule_dirs.end());
  if (const int rc = check_outputs(outputs, inputs); rc != kExitOk) return rc;
  diags errors;
  // Rules are needed only to analyze bundles again for their reports.
  const pipeline::rule_packs rules = opt.incident_html.empty()
                                         ? pipeline::rule_packs{}
                                         : pipeline::load_rules(opt.rule_dirs, errors);
  if (!errors.empty()) {
    for (const auto& d : errors) fmt::print(stderr, "{}", format_diag(d));
    fmt::print(stderr, "error: rule packs did not load; run `migsleuth rules lint` for details\n");
    return kExitUsage;
  }
  fleet_page_options p;
  p.db = opt.db;
  p.shown_db = opt.db;
  p.html = opt.output;
  p.incident_html = opt.incident_html;
  if (deployment_kind k{}; opt.deployment != "auto" && parse_deployment_kind(opt.deployment, k)) {
    p.deployment = k;
  }
  return write_fleet_page(p, rules);
}

}  // namespace migsleuth::app
