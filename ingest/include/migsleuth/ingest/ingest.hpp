// Ingest: find every file under the given paths, open it read-only (plain or
// gzip/bzip2/xz/zstd by magic bytes), decide its kind and host, stream its
// lines to the right parser, and account for it in `inputs`.
//
// What it does not do: correlate or classify. Inputs are never written to;
// files that cannot be read become warnings and the rest goes on.
//
//   ingest_options opt{.paths = {"bundle/"}};
//   analysis_input a = ingest(opt, shapes);
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "migsleuth/core/event.hpp"
#include "migsleuth/core/input.hpp"
#include "migsleuth/parsers/parse.hpp"

namespace migsleuth::ingest {

class deferred_events;  // deferred_events.hpp: ingest's own, read back through ingested.hpp

struct tz_override {
  std::string host;
  std::int64_t offset_seconds = 0;  // local = UTC + offset
};

struct ingest_options {
  std::vector<std::string> paths;  // "-" is standard input, read from `stdin_path`
  // Where the caller copied standard input (app/: an unlinked temporary file
  // as /proc/self/fd/N); reported as "-", with no host.
  std::string stdin_path;
  std::vector<tz_override> time_zones;
  // Bomb guards (SECURITY.md "Limits"). Per file on disk, over every layer
  // of decompression, nested archives and sparse holes included:
  std::uint64_t max_decompressed_bytes = 16ULL << 30;
  std::uint64_t max_archive_members = 1'000'000;
  // Over the whole analysis (0: four times the per-file limit). Which file a
  // used-up total cuts does not depend on `jobs` (work_budget.hpp).
  std::uint64_t max_total_decompressed_bytes = 0;
  std::uint64_t max_total_archive_members = 0;
  std::uint64_t max_line_bytes = 1U << 20;             // longer lines are cut, with a warning
  unsigned jobs = 0;  // files read in parallel; 0 = one per core. Output does not depend on it.
  // A plain nova-compute text log larger than twice this is read in ranges
  // of about this size, cut at record starts, in parallel, with the same
  // output as one pass (HACKING "Large files are split"). 0: never split.
  std::uint64_t split_bytes = 32U << 20;
  // Whole-document captures (virsh domcapabilities XML, hypervisor show JSON)
  // that a later stage reads with a real parser: when set and it returns true
  // for a file's path and first bytes, the file's whole text is kept in
  // analysis_input::kept as well as parsed as usual. Used by preflight.
  std::function<bool(std::string_view path, std::string_view head)> keep_text;
  std::uint64_t max_kept_bytes = 16U << 20;  // per kept file; the rest is cut, with a warning
  bool kept_only = false;  // true: files keep_text refuses are listed, not parsed
  // true: unshaped WARNING/ERROR lines about an instance go to
  // analysis_input::deferred instead of events (bounded memory; ingested.hpp
  // reads back those correlate takes). false: every event stays in `events`.
  bool defer_log_lines = false;
  // Lines of files no kind claims in which this counts something a cause
  // rule or the catalog may recognise (> 0; after '> ' quoting and indentation
  // are stripped) become fragment events: no time, no instance, source
  // `unrecognized` (a pasted excerpt). The count tells a wrapped line's join
  // from two lines side by side. Empty: such lines are counted only.
  std::function<std::size_t(std::string_view)> fragment_filter;
  // A log line that would be deferred but that this accepts stays in
  // `events` (it may become a finding when no attempt holds it).
  std::function<bool(std::string_view)> keep_for_findings;
  // With defer_log_lines, lines about an instance that correlate takes
  // whenever that instance migrates and nothing else reads when it does not
  // (deferred_events::set_aside_whole: a QEMU log's boot and messages, nova's
  // teardown lines) go to the deferred store too, unless this accepts them:
  // a line some later stage reads whether or not its instance migrated (a
  // loose finding's wording, a host's name, a deployment's sign) stays in
  // `events`. Unset: every such line stays in `events`.
  std::function<bool(const event&)> needed_anyway;
  // With defer_log_lines and needed_anyway, the lines of another nova
  // operation about an instance (deferred_events::set_aside_operation: a
  // build that failed to spawn) go to the deferred store too, unless
  // needed_anyway accepts them, except one per host and instance among those
  // this accepts: loose findings read whether a host has such a line about an
  // instance that never migrated (a line they may recognise), not each.
  // Unset: every such line stays in `events`.
  std::function<bool(const event&)> marks_operation;
  // A stop request (scan's SIGINT/SIGTERM): once it reads true, every file
  // stops at its next read chunk (1 MiB) or archive member, no new file is
  // started, and the result says `cancelled`. Null: never.
  const std::atomic<bool>* cancel = nullptr;
};

// True once `opt.cancel` asks to stop.
inline bool cancel_requested(const ingest_options& opt) noexcept {
  return opt.cancel != nullptr && opt.cancel->load(std::memory_order_relaxed);
}

struct kept_text {
  input_id input = 0;  // its entry in analysis_input::inputs (path, host)
  std::string text;
  bool cut = false;  // longer than max_kept_bytes
};

// "This libvirt domain is this instance", from a line left on disk;
// `before` = how many of analysis_input::events precede that line.
struct domain_link {
  std::string domain;
  std::string instance;
  std::size_t before = 0;
};

struct analysis_input {
  std::vector<input> inputs;  // in a stable order (path order)
  std::vector<event> events;  // all files' events, in input then line order
  std::vector<identity_link> links;  // from every file, distinct
  // Domain -> instance pairs of lines set aside whole (deferred), each at the
  // place its first such line had among `events`: the index learns them in
  // that order, as it did the lines (identities.cpp).
  std::vector<domain_link> domain_links;
  std::vector<kept_text> kept;       // ingest_options::keep_text's files, in input order
  bool any_unreadable = false;
  // The stop request came while reading: this is part of the inputs only and
  // must not be reported as their analysis.
  bool cancelled = false;
  std::shared_ptr<deferred_events> deferred;  // set with ingest_options::defer_log_lines
  // Seconds subtracted from the local-clock times of each host's events (the
  // UTC offset derived from nova/QEMU line pairs; not for hosts given --tz).
  std::map<std::string, std::int64_t> local_clock_shift;
};

analysis_input ingest(const ingest_options& options,
                      std::shared_ptr<const parsers::shape_set> shapes);

}  // namespace migsleuth::ingest
