// `migsleuth scan`: many bundles in parallel -> JSONL / SQLite + a summary.
// This file owns everything a terminal sees: the progress bar, warnings as
// they happen, the summary, ^C and the exit code.
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>
#include <thread>

#include "commands.hpp"
#include "fleet_page.hpp"
#include "input_guard.hpp"
#include "option_limits.hpp"
#include "migsleuth/scan/scan.hpp"
#include "output_file.hpp"
#include "scan_commands.hpp"

namespace migsleuth::app {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int) { g_interrupted.store(true); }

// The first ^C (or SIGTERM from Kubernetes) asks for a clean stop: bundles in
// flight are finished and committed, nothing new starts. SA_RESETHAND makes a
// second ^C kill at once; the database stays consistent either way (WAL).
void install_interrupt_handler() {
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = static_cast<int>(SA_RESETHAND);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

std::string mib(std::uint64_t b) { return fmt::format("{:.1f}", static_cast<double>(b) / 1048576.0); }

std::string clock_text(double seconds) {
  const auto s = static_cast<std::uint64_t>(seconds);
  return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
                   : fmt::format("{:02}:{:02}", s / 60, s % 60);
}

// One redrawn line on stderr: bundles and bytes done, throughput, ETA by bytes.
class progress_bar {
 public:
  explicit progress_bar(bool enabled) : enabled_(enabled) {}
  void draw(const scan::progress& p) {
    if (!enabled_) return;
    constexpr int kWidth = 24;
    const double frac = p.bytes_total > 0 ? static_cast<double>(p.bytes_done) /
                                                static_cast<double>(p.bytes_total)
                        : p.bundles_total > 0 ? static_cast<double>(p.bundles_done) /
                                                    static_cast<double>(p.bundles_total)
                                              : 1.0;
    const int filled = static_cast<int>(frac * kWidth);
    const double rate = p.seconds > 0 ? static_cast<double>(p.bytes_done) / p.seconds : 0;
    std::string eta = "--:--";
    if (rate > 0 && p.bytes_done > 0) {
      eta = clock_text(static_cast<double>(p.bytes_total - p.bytes_done) / rate);
    }
    fmt::print(stderr, "\r\033[K[{}{}] {}/{} bundles  {}/{} MiB  {:.1f} MiB/s  {:.1f} bundles/s  ETA {}",
               std::string(static_cast<std::size_t>(filled), '#'),
               std::string(static_cast<std::size_t>(kWidth - filled), '.'), p.bundles_done,
               p.bundles_total, mib(p.bytes_done), mib(p.bytes_total), rate / 1048576.0,
               p.seconds > 0 ? static_cast<double>(p.bundles_done) / p.seconds : 0.0, eta);
    std::fflush(stderr);
    shown_ = true;
  }
  void clear() {
    if (!shown_) return;
    fmt::print(stderr, "\r\033[K");
    std::fflush(stderr);
    shown_ = false;
  }

 private:
  bool enabled_;
  bool shown_ = false;
};

}  // namespace

int run_scan(const scan_cli_options& opt) {
  // Before anything is read: no output (nor SQLite's files beside the
  // database) may be, or lie inside, a scanned folder or archive.
  std::vector<output_target> outputs{{"--jsonl", opt.jsonl}, {"--db", opt.db}};
  if (!opt.db.empty()) {
    for (const char* sibling : {"-wal", "-journal", "-shm"}) {
      outputs.push_back({"--db", opt.db + sibling});
    }
  }
  outputs.push_back({"--html", opt.html});
  outputs.push_back({"--incident-html", opt.incident_html});
  std::vector<std::string> inputs = opt.paths;
  inputs.insert(inputs.end(), opt.rule_dirs.begin(), opt.rule_dirs.end());
  if (const int rc = check_outputs(outputs, inputs); rc != kExitOk) return rc;
  if (!opt.incident_html.empty() && opt.html.empty()) {
    fmt::print(stderr, "error: --incident-html needs --html (the page that links to them)\n");
    return kExitUsage;
  }

  scan::scan_options so;
  so.paths = opt.paths;
  so.jobs = effective_jobs(opt.jobs, "scan");
  if (!opt.shard.empty() && !scan::parse_shard(opt.shard, so.part)) {
    fmt::print(stderr, "error: --shard '{}' is not K/N with 1 <= K <= N\n", opt.shard);
    return kExitUsage;
  }
  so.db_path = opt.db;
  // The page is rendered from a database only, so that it shows exactly what
  // report-fleet would: with no --db, the scan writes a scratch one beside
  // the page, never committed (output_file removes it and its siblings).
  std::unique_ptr<output_file> scratch_db;
  if (!opt.html.empty() && opt.db.empty()) {
    std::string error;
    scratch_db = output_file::open(opt.html + ".scan-db", error, output_file::mode::path_only);
    if (!scratch_db) {
      fmt::print(stderr, "error: {}\n", error);
      return kExitWriteFailed;
    }
    so.db_path = scratch_db->temp_path();
  }
  so.rescan = opt.rescan;
  if (deployment_kind k{}; opt.deployment != "auto" && parse_deployment_kind(opt.deployment, k)) {
    so.deployment = k;
  }
  if (opt.rescan && opt.db.empty()) {
    fmt::print(stderr, "error: --rescan needs --db (it is the database that remembers bundles)\n");
    return kExitUsage;
  }

  diags errors;
  const pipeline::rule_packs rules = pipeline::load_rules(opt.rule_dirs, errors);
  if (!errors.empty()) {
    for (const auto& d : errors) fmt::print(stderr, "{}", format_diag(d));
    fmt::print(stderr, "error: rule packs did not load; run `migsleuth rules lint` for details\n");
    return kExitUsage;
  }

  // The database is updated in place (it is what resumes), one transaction
  // per bundle; the JSONL is written whole each run, so it gets a temporary.
  const bool jsonl_stdout = opt.jsonl == "-";
  std::unique_ptr<output_file> jsonl;
  if (!opt.jsonl.empty()) {
    std::string error;
    jsonl = output_file::open(opt.jsonl, error);
    if (!jsonl) {
      fmt::print(stderr, "error: {}\n", error);
      return kExitWriteFailed;
    }
    so.jsonl = &jsonl->stream();
  }

  progress_bar bar(!opt.quiet && ::isatty(STDERR_FILENO) != 0);
  so.on_progress = [&bar](const scan::progress& p) { bar.draw(p); };
  so.on_bad = [&bar](const scan::bad_bundle& b) {
    bar.clear();
    fmt::print(stderr, "warning: {}: {}: {}\n", b.path, b.status, b.reason);
  };
  so.stop = &g_interrupted;
  install_interrupt_handler();

  const scan::scan_result res = scan::run_scan(so, rules);
  bar.clear();
  if (!res.error.empty()) {
    fmt::print(stderr, "error: {}\n", res.error);
    return kExitUsage;
  }
  if (!res.write_error.empty()) {
    fmt::print(stderr, "error: cannot write {}: {}\n", opt.db.empty() ? so.db_path : opt.db,
               res.write_error);
    return kExitWriteFailed;
  }
  if (res.jsonl_failed) return report_write_failure(*jsonl);
  // An interrupted scan's JSONL holds whole bundles, as the database does: kept.
  if (jsonl && !jsonl->commit()) return report_write_failure(*jsonl);
  if (!opt.quiet || res.interrupted) {
    const std::string text = scan::format_summary(res.totals);
    if (jsonl_stdout) {
      fmt::print(stderr, "{}", text);
    } else if (const int rc = write_stdout(text); rc != kExitOk) {
      return rc;
    }
  }
  if (res.interrupted) {
    fmt::print(stderr,
               "interrupted: {} of {} bundle(s) written{}; run the same command again to go on\n",
               res.totals.scanned + res.totals.resumed, res.totals.bundles,
               opt.db.empty() ? "" : " and committed");
    return kExitInterrupted;
  }
  const int scan_rc = res.totals.bad.empty() ? kExitOk : kExitUnreadable;
  if (opt.html.empty()) return scan_rc;
  fleet_page_options page;
  page.db = so.db_path;
  page.shown_db = opt.db.empty() ? std::string("(none: scan --html without --db)") : opt.db;
  page.html = opt.html;
  page.incident_html = opt.incident_html;
  page.deployment = so.deployment;
  const int page_rc = write_fleet_page(page, rules);
  return page_rc != kExitOk ? page_rc : scan_rc;
}

void add_scan_commands(CLI::App& app, scan_commands& c) {
  scan_cli_options& s = c.scan_opt;
  c.scan = app.add_subcommand(
      "scan",
      "Analyze many bundles in parallel: each PATH that is an archive is a bundle; each folder's "
      "immediate children (folders, archives) are bundles.");
  c.scan->add_option("paths", s.paths, "Folders of bundles, or archives")->required();
  c.scan->add_option("-j,--jobs", s.jobs, "Bundles analyzed in parallel (default or 0: one per core; at most 4 per core)");
  c.scan->add_option("--jsonl", s.jsonl,
                     "Write one JSON line per incident, then per finding tied to no attempt, "
                     "to FILE ('-': stdout)");
  c.scan->add_option("--db", s.db, "Write an SQLite database (resumable: bundles already in it "
                                   "with the same size and mtime are not analyzed again)");
  c.scan->add_flag("--rescan", s.rescan, "With --db: analyze every bundle again");
  c.scan->add_option("--html", s.html,
                     "When the scan is done, write the fleet page (as report-fleet does) to FILE, "
                     "from the database (a scratch one, removed after, with no --db)");
  c.scan->add_option("--incident-html", s.incident_html,
                     "With --html: also write each failed bundle's HTML report into DIR, linked "
                     "from the page");
  c.scan->add_option("--shard", s.shard, "K/N: scan only the K-th of N deterministic shares");
  c.scan->add_flag("-q,--quiet", s.quiet, "No progress bar and no summary");
  c.scan->add_option("--rules", s.rule_dirs, "Extra rule-pack folder; repeatable");
  c.scan->add_option("--deployment", s.deployment,
                     "Write confirm commands for this deployment: auto (each host's, from its "
                     "files), plain, tripleo, edpm, kolla, kubernetes")
      ->check(CLI::IsMember({"auto", "plain", "tripleo", "edpm", "kolla", "kubernetes"}));

  merge_cli_options& m = c.merge_opt;
  c.merge = app.add_subcommand(
      "merge", "Merge shards' outputs (all JSONL files, or all SQLite databases) into one.");
  c.merge->add_option("inputs", m.inputs, "JSONL files or databases written by scan --shard")
      ->required();
  c.merge->add_option("-o,--output", m.output,
                      "The merged database, or JSONL file ('-': stdout)")
      ->required();
  c.merge->add_option("--jsonl", m.jsonl, "Databases only: also write the merged JSONL here");
  c.merge->add_flag("-q,--quiet", m.quiet, "No summary");
}

int run_scan_commands(const scan_commands& c) {
  if (c.scan != nullptr && c.scan->parsed()) return run_scan(c.scan_opt);
  if (c.merge != nullptr && c.merge->parsed()) return run_merge(c.merge_opt);
  return -1;
}

}  // namespace migsleuth::app
