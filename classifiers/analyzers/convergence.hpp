// Convergence analyzer: the numbers behind a non-convergence verdict, from
// nova's progress lines ("Migration running for N secs, memory N% remaining
// (bytes processed=.., remaining=.., total=..)") and from virsh domjobinfo
// captures (job_stats events). YAML rules can say "the timeout fired"; only
// arithmetic over the samples can say whether memory was being dirtied faster
// than it was copied (cf. hotsos vm_info.py progress regressions).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/registry.hpp"
#include "migsleuth/core/incident.hpp"
#include "migsleuth/core/verdict.hpp"

namespace migsleuth::classifiers {

struct convergence_facts {
  int samples = 0;             // progress lines with real counters (total > 0), or
                               // when fewer than two, the blocks of a domjobinfo loop
  std::string sample_source = "progress";  // "progress" or "domjobinfo"
  std::int64_t span_secs = 0;  // from first to last sample
  double first_pct = 0, min_pct = 0, last_pct = 0;
  int regressions = 0;         // remaining went up again (a new copy round)
  bool converging = false;     // remaining kept falling, or got near zero
  double copy_bps = 0;         // median bytes/s copied between samples (0: unknown)
  double dirty_bps = 0;        // median bytes/s dirtied between samples (0: unknown)
  // From domjobinfo, when captured (0: not captured).
  double job_bandwidth_bps = 0, job_dirty_bps = 0;
  std::int64_t iterations = 0;
  double expected_downtime_ms = 0;
  std::vector<const event*> cited;  // first, lowest and last samples; the last job stats
};

// Nothing when the incident has fewer than two usable samples.
std::optional<convergence_facts> analyze_convergence(const incident& inc);

// One sentence with the numbers, e.g. "memory remaining never went below 38%
// over 27 samples (780 s), with 4 new copy rounds; copied ~110 MiB/s while
// the guest dirtied ~150 MiB/s".
std::string describe(const convergence_facts& f);

// Which of three things the rates show: the guest dirtying memory about as
// fast as it is copied, a stalled transfer (almost nothing copied), or a
// copy that outran the writes but was too slow for the time allowed (a
// bandwidth cap, a slow network). "" without rates.
std::string what_numbers_show(const convergence_facts& f);

// The facts rules may use (`convergence.*`, README "Facts"), and the
// analyzer as registered. A rule quoting `convergence.summary` adds the
// numbers, what they show and the cited samples to its verdict;
// rules/causes/non_convergence/progress-trend.yaml decides from them when no
// line names the cause.
[[nodiscard]] std::span<const fact_spec> convergence_fact_specs();
void run_convergence(const incident& inc, analyzer_output& out);

}  // namespace migsleuth::classifiers
