#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "collect_command.hpp"
#include "command_suggest.hpp"
#include "commands.hpp"
#include "fleet_page.hpp"
#include "option_limits.hpp"
#include "output_file.hpp"
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
  app.footer(
      "Exit codes:\n"
      "  0    done (whatever the analysis found)\n"
      "  1    rules check-command: a command is not read-only\n"
      "  2    usage error (an unknown command or option; --tz or --instance that matches\n"
      "       nothing); rule packs that do not load; an output that is an input\n"
      "  3    done, but some input (or bundle) could not be read\n"
      "  4    the report (or JSONL, database) could not be written\n"
      "  5    analyze ran out of memory (no report)\n"
      "  130  scan interrupted (SIGINT/SIGTERM)");

  analyze_options a;
  CLI::App* analyze = app.add_subcommand(
      "analyze", "Analyze one bundle: PATHs are files or folders (BUNDLE/<host>/...).");
  analyze->alias("analyse");  // the British spelling, as operators type it
  analyze->add_option("paths", a.paths,
                      "Files or folders to read (recursively); - reads standard input (a "
                      "pasted excerpt, journalctl output), reported as '-' with no host")
      ->required();
  analyze->add_option("-f,--format", a.format,
                      "Output format: text, json, markdown or html; several comma-separated "
                      "with -o BASE (default: text)");
  analyze->add_option("-o,--output", a.output,
                      "Write the report to FILE (several formats: BASE.txt/.json/.md/.html); "
                      "with no --format, FILE's extension picks it; - is standard output");
  analyze->add_flag("--explain", a.explain,
                    "On stderr: why each file got its kind and host and whether its lines are "
                    "used, and which rules fired or nearly fired");
  analyze->add_option("--color", a.color, "Colour the text report: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  analyze->add_option("--rules", a.rule_dirs,
                      "Extra rule-pack folder (holding shapes/ and/or causes/); repeatable");
  analyze->add_option("--tz", a.time_zones,
                      "HOST=+HH:MM: the UTC offset of a host's naive nova-compute clock; "
                      "repeatable (default: UTC)");
  analyze->add_option("--deployment", a.deployment,
                      "Write confirm commands for this deployment: auto (each host's, from its files), plain, "
                      "tripleo, edpm, kolla, kubernetes")
      ->check(CLI::IsMember({"auto", "plain", "tripleo", "edpm", "kolla", "kubernetes"}));
  analyze->add_option("--instance", a.instance, "Only incidents of this instance UUID or domain");
  analyze->add_option("--since", a.since, "Only attempts started at or after this UTC time");
  analyze->add_option("--until", a.until, "Only attempts started at or before this UTC time");
  analyze->add_option("-j,--jobs", a.jobs,
                      "Files read in parallel (default or 0: one per core; at most 4 per core)");
  analyze->add_option("--max-decompressed", a.max_decompressed,
                      "Bytes decompressed at most for one file and everything nested in it "
                      "(sparse holes included); the rest is skipped with a warning. The "
                      "analysis as a whole may use 4 times this (default 17179869184 = 16 GiB, "
                      "at least 1048576)")
      ->check(byte_range(kMinMaxDecompressed, UINT64_MAX,
                         "below one read chunk (1 MiB) every file would stop inside its first "
                         "chunk"));
  analyze->add_option("--max-line", a.max_line,
                      "Longer lines are cut, with a warning (default 1048576 = 1 MiB; "
                      "1024 to 268435456)")
      ->check(byte_range(kMinMaxLine, kMaxMaxLine,
                         "below 1 KiB the header and the error text the rules read are cut; "
                         "above 256 MiB one line's buffer is no bound"));

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
  CLI::App* check = rules->add_subcommand(
      "check-command", "Check commands with the read-only checker confirm commands must pass "
                       "(exit 1 when one is refused, with the reason)");
  check->add_option("commands", r.commands, "Commands, each one quoted argument")->required();
  check->add_flag("--gaps", r.gaps,
                  "Commands as reports show them: each <name> gap is one value to fill in");
  check->callback([&r] { r.action = "check-command"; });
  CLI::App* decode = rules->add_subcommand(
      "decode", "Show how the message catalog reads log lines: their layers (nova > libvirt > "
                "QEMU > errno) and the entry and cause that decide");
  decode->add_option("lines", r.commands, "Lines, each one quoted argument; - reads standard input")
      ->required();
  decode->callback([&r] { r.action = "decode"; });

  scan_commands scans;  // scan + merge (app/cmd_scan.cpp, app/cmd_merge.cpp)
  add_scan_commands(app, scans);

  // The fleet page of a scan database (app/cmd_fleet.cpp).
  fleet_cli_options fleet;
  CLI::App* report_fleet = add_report_fleet_command(app, fleet);

  preflight_options pf;
  CLI::App* preflight = add_preflight_command(app, pf);

  collect_options co;  // collect: the gathering script (app/cmd_collect.cpp)
  CLI::App* collect = add_collect_command(app, co);

  if (!check_subcommand_words(app, argc, argv)) return finish_stdout(kExitUsage);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help / --version exit 0; every usage error exits 2 (README "Exit codes").
    return finish_stdout(app.exit(e) == 0 ? kExitOk : kExitUsage);
  }
  int rc = kExitUsage;
  try {
    if (analyze->parsed()) {
      rc = run_analyze(a);
    } else if (rules->parsed()) {
      rc = run_rules(r);
    } else if (preflight->parsed()) {
      rc = run_preflight(pf);
    } else if (report_fleet->parsed()) {
      rc = run_report_fleet(fleet);
    } else if (collect->parsed()) {
      rc = run_collect(co);
    } else if (const int scan_rc = run_scan_commands(scans); scan_rc >= 0) {
      rc = scan_rc;
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    rc = kExitUsage;
  }
  // Reports go through output_file; this catches anything else on stdout.
  return rc == kExitWriteFailed ? rc : finish_stdout(rc);
}
