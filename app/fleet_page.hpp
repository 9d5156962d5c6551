// The fleet page (README "Scanning a fleet"): `migsleuth report-fleet DB -o
// FILE`, and `scan --html FILE`, which renders the database the scan just
// wrote through the same function, so both pages come from one model: the
// database's rows (scan::load_fleet).
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "migsleuth/core/deployment.hpp"
#include "migsleuth/pipeline/pipeline.hpp"

namespace migsleuth::app {

struct fleet_page_options {
  std::string db;                             // the scan database read
  std::string shown_db;                       // what the page calls it (db as given)
  std::string html;                           // the page written ("-": standard output)
  std::string incident_html;                  // folder for per-bundle reports; empty = none
  std::optional<deployment_kind> deployment;  // their confirm commands, as scan's
};

// Loads the database and writes the page (and the per-bundle reports);
// kExitOk, kExitUsage (not a scan database), kExitUnreadable (a bundle's
// report could not be made: the page is written, linking to its path only)
// or kExitWriteFailed.
int write_fleet_page(const fleet_page_options& opt, const pipeline::rule_packs& rules);

struct fleet_cli_options {
  std::string db;
  std::string output;
  std::string incident_html;
  std::vector<std::string> rule_dirs;
  std::string deployment = "auto";
};

CLI::App* add_report_fleet_command(CLI::App& app, fleet_cli_options& opt);
int run_report_fleet(const fleet_cli_options& opt);

}  // namespace migsleuth::app
