// The CLI's subcommands. Only app/ parses flags and prints.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace migsleuth::app {

// Exit codes (README "Exit codes"; 130 = interrupted, in scan_commands.hpp).
constexpr int kExitOk = 0;
constexpr int kExitRefused = 1;       // rules check-command: a command is not read-only
constexpr int kExitUsage = 2;        // bad flags, or rule packs that do not load
constexpr int kExitUnreadable = 3;   // analysis done, some input could not be read
constexpr int kExitWriteFailed = 4;  // the report (or JSONL, database) could not be written
constexpr int kExitOutOfMemory = 5;  // the analysis ran out of memory: no report

struct analyze_options {
  std::vector<std::string> paths;
  std::string format = "auto";  // auto | text | json | markdown | html, or a comma list
  std::string output;           // file (one format) or base name (several); empty = stdout
  std::string color = "auto";   // auto | always | never
  std::vector<std::string> rule_dirs;
  std::vector<std::string> time_zones;  // HOST=+HH:MM
  std::string instance;
  std::string since, until;
  bool explain = false;  // why each kind/host/role/rule, on stderr
  std::string deployment = "auto";  // auto | plain | tripleo | edpm | kolla | kubernetes
  unsigned jobs = 0;  // 0 = one per core
  std::uint64_t max_decompressed = 16ULL << 30;  // bytes per file (decompression bombs)
  std::uint64_t max_line = 1U << 20;             // bytes per line
};

int run_analyze(const analyze_options& opt);

struct rules_options {
  std::string action;  // list | lint | test | check-command
  std::string dir;     // empty = embedded packs
  std::vector<std::string> commands;  // check-command; decode: the lines
  bool gaps = false;                  // check-command --gaps: <name> gaps are values
  std::vector<std::string> rule_dirs;
};

int run_rules(const rules_options& opt);

}  // namespace migsleuth::app
