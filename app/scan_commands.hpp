// `migsleuth scan` and `migsleuth merge` (README "Batch scans"), registered
// on the CLI from main.cpp with one call so that they live in their own files.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace migsleuth::app {

constexpr int kExitInterrupted = 130;  // SIGINT, as a shell reports it

struct scan_cli_options {
  std::vector<std::string> paths;
  unsigned jobs = 0;  // 0 = one per core
  std::string shard;  // "K/N"
  std::string jsonl;  // file or "-"
  std::string db;
  bool rescan = false;
  bool quiet = false;
  std::vector<std::string> rule_dirs;
  std::string deployment = "auto";  // as analyze --deployment
  std::string html;           // the fleet page (app/cmd_fleet.cpp), from the database
  std::string incident_html;  // with html: each failed bundle's report in this folder
};

struct merge_cli_options {
  std::vector<std::string> inputs;
  std::string output;  // a database when the inputs are, else JSONL ("-" = stdout)
  std::string jsonl;   // databases only: also write the merged JSONL here
  bool quiet = false;
};

struct scan_commands {
  CLI::App* scan = nullptr;
  CLI::App* merge = nullptr;
  scan_cli_options scan_opt;
  merge_cli_options merge_opt;
};

void add_scan_commands(CLI::App& app, scan_commands& c);
// The exit code of whichever of them was parsed, or -1 if neither was.
int run_scan_commands(const scan_commands& c);

int run_scan(const scan_cli_options& opt);
int run_merge(const merge_cli_options& opt);

}  // namespace migsleuth::app
