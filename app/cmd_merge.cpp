// `migsleuth merge`: shards back into one output, plus the summary a single
// run would have printed.
#include <fmt/format.h>

#include <fstream>
#include <iostream>

#include "commands.hpp"
#include "migsleuth/scan/scan.hpp"
#include "scan_commands.hpp"

namespace migsleuth::app {

int run_merge(const merge_cli_options& opt) {
  const bool db = scan::is_sqlite_file(opt.inputs.front());
  for (const auto& in : opt.inputs) {
    if (scan::is_sqlite_file(in) != db) {
      fmt::print(stderr, "error: {}: inputs must be all JSONL files or all SQLite databases\n",
                 in);
      return kExitUsage;
    }
  }
  if (!db && !opt.jsonl.empty()) {
    fmt::print(stderr, "error: --jsonl is for merging databases; use -o for JSONL\n");
    return kExitUsage;
  }
  const std::string& jsonl_path = db ? opt.jsonl : opt.output;
  std::ofstream file;
  std::ostream* jsonl = nullptr;
  if (jsonl_path == "-") {
    jsonl = &std::cout;
  } else if (!jsonl_path.empty()) {
    file.open(jsonl_path, std::ios::binary | std::ios::trunc);
    if (!file) {
      fmt::print(stderr, "error: cannot write {}\n", jsonl_path);
      return kExitUsage;
    }
    jsonl = &file;
  }
  const scan::merge_result res = db ? scan::merge_db(opt.inputs, opt.output, jsonl)
                                    : scan::merge_jsonl(opt.inputs, *jsonl);
  for (const auto& w : res.warnings) fmt::print(stderr, "warning: {}\n", w);
  if (!res.error.empty()) {
    fmt::print(stderr, "error: {}\n", res.error);
    return kExitUsage;
  }
  if (file.is_open() && !file.flush()) {
    fmt::print(stderr, "error: cannot write {}\n", jsonl_path);
    return kExitUsage;
  }
  if (!opt.quiet) {
    fmt::print(jsonl_path == "-" ? stderr : stdout, "{}", scan::format_summary(res.totals));
  }
  return res.totals.bad.empty() ? kExitOk : kExitUnreadable;
}

}  // namespace migsleuth::app
