// `migsleuth merge`: shards back into one output, plus the summary a single
// run would have printed. Outputs are written under temporary names and
// renamed into place when complete (output_file); none may be an input.
#include <fmt/format.h>

#include <memory>

#include "commands.hpp"
#include "input_guard.hpp"
#include "migsleuth/scan/scan.hpp"
#include "output_file.hpp"
#include "scan_commands.hpp"

namespace migsleuth::app {

int run_merge(const merge_cli_options& opt) {
  // Before anything is read: `merge -o shard2.jsonl shard1.jsonl shard2.jsonl`
  // would otherwise truncate an input it is about to read.
  std::vector<output_target> outputs{{"-o", opt.output}, {"--jsonl", opt.jsonl}};
  for (const char* sibling : {"-wal", "-journal", "-shm"}) {  // a database output's
    if (opt.output != "-") outputs.push_back({"-o", opt.output + sibling});
  }
  if (const int rc = check_outputs(outputs, opt.inputs); rc != kExitOk) return rc;

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
  if (db && opt.output == "-") {
    fmt::print(stderr, "error: merging databases needs -o FILE (a database), not '-'\n");
    return kExitUsage;
  }
  const std::string& jsonl_path = db ? opt.jsonl : opt.output;
  std::string error;
  std::unique_ptr<output_file> jsonl;
  if (!jsonl_path.empty()) {
    jsonl = output_file::open(jsonl_path, error);
    if (!jsonl) {
      fmt::print(stderr, "error: {}\n", error);
      return kExitWriteFailed;
    }
  }
  std::unique_ptr<output_file> database;
  if (db) {
    database = output_file::open(opt.output, error, output_file::mode::path_only);
    if (!database) {
      fmt::print(stderr, "error: {}\n", error);
      return kExitWriteFailed;
    }
  }
  std::ostream* jsonl_stream = jsonl ? &jsonl->stream() : nullptr;
  const scan::merge_result res = db ? scan::merge_db(opt.inputs, database->temp_path(), jsonl_stream)
                                    : scan::merge_jsonl(opt.inputs, *jsonl_stream);
  for (const auto& w : res.warnings) fmt::print(stderr, "warning: {}\n", w);
  // On any failure the temporaries go with their output_file: nothing is replaced.
  if (!res.error.empty()) {
    fmt::print(stderr, "error: {}\n", res.error);
    return kExitUsage;
  }
  if (!res.write_error.empty()) {
    fmt::print(stderr, "error: cannot write {}: {}\n", opt.output, res.write_error);
    return kExitWriteFailed;
  }
  if (res.output_failed) return report_write_failure(*jsonl);
  if (database && !database->commit()) return report_write_failure(*database);
  if (jsonl && !jsonl->commit()) return report_write_failure(*jsonl);
  if (!opt.quiet) {
    const std::string text = scan::format_summary(res.totals);
    if (jsonl_path == "-") {
      fmt::print(stderr, "{}", text);
    } else if (const int rc = write_stdout(text); rc != kExitOk) {
      return rc;
    }
  }
  return res.totals.bad.empty() ? kExitOk : kExitUnreadable;
}

}  // namespace migsleuth::app
