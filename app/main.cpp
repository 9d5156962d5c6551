#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "commands.hpp"
#include "preflight_command.hpp"
#include "scan_commands.hpp"
#include "migsleuth_version.hpp"

int main(int argc, char** argv) {
  using namespace migsleuth::app;
  CLI::App app{
      "migsleuth: find out why an OpenStack live migration failed.\n"
      "Reads nova-compute and libvirt QEMU logs collected from the source and\n"
      "destination compute hosts (one folder per host), rebuilds every migration\n"
      "attempt, classifies each failure with the log lines that prove it, and prints\n"
      "read-only commands that confirm it on the live hosts.",
      "migsleuth"};
  app.set_version_flag("-V,--version", version_text());  // + commit, rule packs
  app.require_subcommand(1);

  analyze_options a;
  CLI::App* analyze = app.add_subcommand(
      "analyze", "Analyze one bundle: PATHs are files or folders (BUNDLE/<host>/...).");
  analyze->add_option("paths", a.paths, "Files or folders to read (recursively)")->required();
  analyze->add_option("-f,--format", a.format,
                      "Output format: text, json, markdown or html; several comma-separated "
                      "with -o BASE (default: text)");
  analyze->add_option("-o,--output", a.output,
                      "Write the report to FILE (several formats: BASE.txt/.json/.md/.html)");
  analyze->add_flag("--explain", a.explain,
                    "On stderr: why each file got its kind and host, and which rules fired or "
                    "nearly fired");
  analyze->add_option("--color", a.color, "Colour the text report: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  analyze->add_option("--rules", a.rule_dirs,
                      "Extra rule-pack folder (holding shapes/ and/or causes/); repeatable");
  analyze->add_option("--tz", a.time_zones,
                      "HOST=+HH:MM: the UTC offset of a host's naive nova-compute clock; "
                      "repeatable (default: UTC)");
  analyze->add_option("--instance", a.instance, "Only incidents of this instance UUID or domain");
  analyze->add_option("--since", a.since, "Only attempts started at or after this UTC time");
  analyze->add_option("--until", a.until, "Only attempts started at or before this UTC time");
  analyze->add_option("-j,--jobs", a.jobs, "Files read in parallel (default: one per core)");
  analyze->add_option("--max-decompressed", a.max_decompressed,
                      "Bytes decompressed at most for one file and everything nested in it "
                      "(sparse holes included); the rest is skipped with a warning. The "
                      "analysis as a whole may use 4 times this (default 17179869184 = 16 GiB)");
  analyze->add_option("--max-line", a.max_line,
                      "Longer lines are cut, with a warning (default 1048576 = 1 MiB)");

  rules_options r;
  CLI::App* rules = app.add_subcommand("rules", "List, lint or test rule packs.");
  rules->require_subcommand(1);
  for (const char* action : {"list", "lint", "test"}) {
    CLI::App* sub = rules->add_subcommand(
        action, std::string(action) == "list"   ? "List the loaded cause rules"
                : std::string(action) == "lint" ? "Load packs and report every error"
                                                : "Run every rule's inline samples");
    sub->add_option("dir", r.dir, "A rules folder (default: the embedded packs)");
    sub->callback([&r, action] { r.action = action; });
  }

  scan_commands scans;  // scan + merge (app/cmd_scan.cpp, app/cmd_merge.cpp)
  add_scan_commands(app, scans);

  preflight_options pf;
  CLI::App* preflight = add_preflight_command(app, pf);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help / --version exit 0; every usage error exits 2 (README "Exit codes").
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  try {
    if (analyze->parsed()) return run_analyze(a);
    if (rules->parsed()) return run_rules(r);
    if (preflight->parsed()) return run_preflight(pf);
    if (const int rc = run_scan_commands(scans); rc >= 0) return rc;
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return kExitUsage;
  }
  return kExitUsage;
}
