// Batch scans: many bundles (folders or archives) analyzed in parallel, with
// every incident streamed to JSONL and/or an SQLite database, a summary of
// what dominates, resumable runs, and shards that merge back into exactly the
// result of one run. Only app/ prints; everything here returns values.
//
//   scan_options o{.paths = {"/cases"}, .jobs = 4, .db_path = "scan.sqlite"};
//   scan_result r = run_scan(o, pipeline::load_rules({}, errors));
//   std::string text = format_summary(r.totals);
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/ingest/ingest.hpp"
#include "migsleuth/pipeline/pipeline.hpp"
#include "migsleuth/report/fleet.hpp"

namespace migsleuth::scan {

// ---- Bundles (bundle_walk.cpp) ------------------------------------------
//
// The rule: a PATH that is an archive file (gzip/bzip2/xz/zstd/tar by magic)
// is one bundle; a PATH that is a folder holds bundles: each immediate child
// that is a folder or an archive file is one bundle (hosts inside it are
// paired by the pipeline). Other children (plain files, symbolic links,
// which are never followed) are listed as skipped with the reason; dot-files
// are left out. A PATH itself is followed even if it is a link.
struct bundle {
  std::string path;          // what pipeline::run reads; also the output order and key
  std::string name;          // path relative to its PATH argument: the shard key
  std::uint64_t bytes = 0;   // file size, or the sum of a folder's files
  std::int64_t mtime_ns = 0; // newest modification time in it (resume check)
  bool is_dir = false;
};
struct skipped_path {
  std::string path;
  std::string reason;
};
struct bundle_list {
  std::vector<bundle> bundles;  // sorted by path, distinct
  std::vector<skipped_path> skipped;
};
bundle_list find_bundles(const std::vector<std::string>& paths);
bool is_archive_file(const std::string& path);

// ---- Shards ---------------------------------------------------------------
struct shard {
  std::uint32_t index = 1;  // K, 1-based
  std::uint32_t count = 1;  // N
};
bool parse_shard(std::string_view text, shard& out);  // "K/N", 1 <= K <= N
std::uint64_t stable_hash(std::string_view s) noexcept;  // FNV-1a 64, same on every machine
bool in_shard(const bundle& b, shard s) noexcept;

// ---- Templates of unexplained errors (template_mask.cpp) ----------------
// Numbers, UUIDs, hex ids, IPs, paths and the given host names masked, so the
// same error from two hosts or instances has one template.
std::string mask_template(std::string_view line, std::span<const std::string> hosts);
struct template_group {
  std::string tpl;        // masked; positions that vary inside the group are "<*>"
  std::uint64_t count = 0;
  std::size_t variants = 0;  // distinct masked templates merged into it
};
// Drain-style: templates with as many tokens and the same first token, equal
// in at least half their tokens, are one group. Most frequent first.
std::vector<template_group> group_templates(const std::map<std::string, std::uint64_t>& counts);

// ---- Summary (summary.cpp) ------------------------------------------------
// What the summary needs of an incident; the same whether it comes from a
// live scan, a JSONL line or a database row.
struct incident_row {
  std::string outcome;
  std::string classification;  // empty for a success
  std::string cause;
  std::string source, destination;
  std::string error_template;  // only for failures classified `unknown`
};
// What the summary needs of a finding (a recognised line no attempt holds,
// report `findings[]`): live, from a JSONL line or from a database row.
struct finding_row {
  std::string classification;
  std::string cause;
  std::string error_template;  // only for findings classified `unknown`
};
struct bad_bundle {
  std::string path;
  std::string status;  // unreadable | unusable | error
  std::string reason;
};
struct summary {
  bool bundle_counts = true;  // false when merged from JSONL (it lists incidents only)
  std::uint64_t bundles = 0, scanned = 0, resumed = 0, bytes = 0;
  std::uint64_t incidents = 0;
  std::map<std::string, std::uint64_t> by_outcome, by_class, by_cause, by_host_pair;
  // Failures and findings classified `unknown`, by error template.
  std::map<std::string, std::uint64_t> unknown_templates;
  std::uint64_t findings = 0;
  std::map<std::string, std::uint64_t> findings_by_class;
  std::vector<bad_bundle> bad;
  std::vector<skipped_path> skipped;
  void add(const incident_row& r);
  void add(const finding_row& f);
};
std::string format_summary(const summary& s);

// ---- Scan (scan.cpp, bundle_pool.hpp, jsonl/sqlite sinks) ----------------
struct progress {
  std::uint64_t bundles_done = 0, bundles_total = 0;  // to analyze (resumed ones excluded)
  std::uint64_t bytes_done = 0, bytes_total = 0;
  double seconds = 0;
};
struct scan_options {
  std::vector<std::string> paths;
  unsigned jobs = 1;  // bundles analyzed at once; 0 = one per core
  shard part;
  std::ostream* jsonl = nullptr;  // one line per incident, then per finding; null = none
  std::string db_path;            // empty = no database
  bool rescan = false;            // with a database: analyze bundles already in it again
  ingest::ingest_options ingest; // its paths are ignored
  correlate::options correlate;
  std::optional<deployment_kind> deployment;  // --deployment; none = each host's own
  const std::atomic<bool>* stop = nullptr;  // once true: dispatch nothing more
  std::function<void(const progress&)> on_progress;  // on the calling thread, ~5/s
  std::function<void(const bad_bundle&)> on_bad;     // as soon as it is known
};
struct scan_result {
  summary totals;
  bool interrupted = false;
  std::string error;  // fatal (the database cannot be opened): nothing was scanned
  // The scan stopped because its output could not be written: a database
  // commit failed (the reason; committed bundles stay), or the JSONL stream
  // went bad (the caller's stream knows why). Never an interruption.
  std::string write_error;
  bool jsonl_failed = false;
};
scan_result run_scan(const scan_options& opt, const pipeline::rule_packs& rules);

// ---- Merge (merge.cpp) ------------------------------------------------------
// Shards' outputs -> exactly what one run over all bundles writes. Bundles
// are ordered by path; a bundle found in two inputs is kept from the first
// (with a warning).
struct merge_result {
  summary totals;
  std::vector<std::string> warnings;
  std::string error;        // an input that cannot be merged
  std::string write_error;  // the database output could not be written (the reason)
  bool output_failed = false;  // the JSONL stream went bad; merge stopped there
};
bool is_sqlite_file(const std::string& path);
merge_result merge_jsonl(const std::vector<std::string>& inputs, std::ostream& out);
// out_path must be absent or an empty file (the caller's temporary, renamed
// into place once this returns with no error); `jsonl`, if given, receives the
// merged JSONL. The database is complete on return: no -wal is left to replay.
merge_result merge_db(const std::vector<std::string>& inputs, const std::string& out_path,
                      std::ostream* jsonl);

// ---- The fleet page's data (fleet_db.cpp) ---------------------------------
// A scan database (also a merged one), opened read-only, as the fleet page
// shows it (report::write_fleet_html). False with `error` naming the file
// when it cannot be read or is not a scan database.
bool load_fleet(const std::string& db_path, report::fleet_data& out, std::string& error);

}  // namespace migsleuth::scan
