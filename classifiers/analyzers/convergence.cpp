#include "analyzers/convergence.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "analyzers/event_number.hpp"
#include "migsleuth/core/captures.hpp"

namespace migsleuth::classifiers {
namespace {

// A migration whose remaining memory gets this low is about to switch over.
constexpr double kNearlyDonePct = 5.0;
// Share of the copy rate the guest must dirty again for the stall to be its doing.
constexpr double kDirtyShare = 0.5;
// Below this copy rate the transfer has stalled: no guest defeats a copy
// that moves nothing (the network, a hung job, a paused source).
constexpr double kStalledBps = 1024.0 * 1024.0;
// Fewer samples than this say nothing about a trend.
constexpr std::size_t kMinSamples = 4;

std::string rate(double bps) {
  constexpr double kMiB = 1024.0 * 1024.0;
  constexpr double kGiB = kMiB * 1024.0;
  return bps >= kGiB ? fmt::format("{:.1f} GiB/s", bps / kGiB)
                     : fmt::format("{:.0f} MiB/s", bps / kMiB);
}

// Non-convergence means the guest dirties memory about as fast as it is
// copied. A transfer that copies nothing has stalled (network, a hung job):
// the numbers do not point at the guest.
bool guest_outpaces_copy(const convergence_facts& f) {
  return f.copy_bps > 0 ? f.dirty_bps >= kDirtyShare * f.copy_bps
                        : f.job_dirty_bps > 0 && f.job_dirty_bps >= f.job_bandwidth_bps;
}

// One point of the trend: nova's progress line or one domjobinfo block.
struct trend_sample {
  double secs = 0;  // since the job started
  double pct = 0;   // memory remaining, % of total
  double processed = 0, remaining = 0;  // bytes
  const event* ev = nullptr;
};

}  // namespace

std::optional<convergence_facts> analyze_convergence(const incident& inc) {
  std::vector<trend_sample> progress;
  std::vector<trend_sample> loop;  // a domjobinfo loop: samples of the running job
  const event* job = nullptr;
  for (const auto& ev : inc.events) {
    if (ev.kind == event_kind::migration_progress && event_number(ev, capture::mem_total) > 0) {
      progress.push_back({event_number(ev, capture::secs), event_number(ev, capture::mem_pct),
                          event_number(ev, capture::mem_processed),
                          event_number(ev, capture::mem_remaining), &ev});
    }
    if (ev.kind == event_kind::job_stats && event_number(ev, "memory_total_bytes") > 0) {
      job = &ev;
      if (ev.value("completed").empty() && !ev.value("time_elapsed_ms").empty()) {
        const double total = event_number(ev, "memory_total_bytes");
        const double remaining = event_number(ev, "memory_remaining_bytes");
        loop.push_back({event_number(ev, "time_elapsed_ms") / 1000.0, 100.0 * remaining / total,
                        event_number(ev, "memory_processed_bytes"), remaining, &ev});
      }
    }
  }
  // nova's progress lines when it logged them; else the samples of a
  // `virsh domjobinfo` loop the operator captured (same counters, from the
  // job itself).
  const bool from_loop = progress.size() < 2 && loop.size() >= 2;
  if (from_loop) progress = std::move(loop);
  if (progress.size() < 2 && job == nullptr) return std::nullopt;

  convergence_facts f;
  f.samples = static_cast<int>(progress.size());
  f.sample_source = from_loop ? "domjobinfo" : "progress";
  double copied_total = 0, copy_secs = 0;
  const trend_sample* lowest = nullptr;
  for (std::size_t i = 0; i < progress.size(); ++i) {
    const trend_sample& ev = progress[i];
    if (lowest == nullptr || ev.pct < f.min_pct) {
      f.min_pct = ev.pct;
      lowest = &ev;
    }
    if (i == 0) continue;
    const trend_sample& prev = progress[i - 1];
    const double dt = ev.secs - prev.secs;
    if (ev.pct > prev.pct) ++f.regressions;
    if (dt <= 0) continue;
    const double copied = ev.processed - prev.processed;
    const double shrunk = prev.remaining - ev.remaining;
    if (copied < 0 || shrunk > copied + 1) continue;  // counters reset: a new job
    copied_total += copied;
    copy_secs += dt;
  }
  if (!progress.empty()) {
    const trend_sample& first = progress.front();
    const trend_sample& last = progress.back();
    f.first_pct = first.pct;
    f.last_pct = last.pct;
    f.span_secs = static_cast<std::int64_t>(last.secs - first.secs);
    // Over the whole window: what was copied but did not shrink what remains
    // was dirtied again (per-interval figures swing with every copy round).
    if (copy_secs > 0) {
      const double net_shrink = first.remaining - last.remaining;
      f.copy_bps = copied_total / copy_secs;
      f.dirty_bps = std::max(0.0, copied_total - net_shrink) / copy_secs;
    }
    // At the net rate remaining memory shrank, would it reach zero within as
    // long again as it has already run? If not, it is not getting anywhere.
    const double net_rate = f.span_secs > 0
                                ? (first.remaining - last.remaining) / static_cast<double>(f.span_secs)
                                : 0;
    const bool finishes_soon =
        net_rate > 0 && last.remaining / net_rate <= static_cast<double>(f.span_secs);
    f.converging = f.last_pct <= kNearlyDonePct || f.min_pct <= kNearlyDonePct ||
                   progress.size() < kMinSamples || finishes_soon;
    f.cited = {first.ev};
    if (lowest != &first && lowest != &last) f.cited.push_back(lowest->ev);
    f.cited.push_back(last.ev);
  }
  if (job != nullptr) {
    f.job_bandwidth_bps = event_number(*job, "memory_bandwidth_bps");
    f.job_dirty_bps = event_number(*job, "dirty_rate_pps") * event_number(*job, "page_size_bytes");
    f.iterations = static_cast<std::int64_t>(event_number(*job, "iteration"));
    f.expected_downtime_ms = event_number(*job, "expected_downtime_ms");
    if (progress.empty()) {
      const double total = event_number(*job, "memory_total_bytes");
      f.last_pct = f.min_pct = 100.0 * event_number(*job, "memory_remaining_bytes") / total;
      f.converging = f.job_dirty_bps > 0 && f.job_dirty_bps < f.job_bandwidth_bps;
    }
    if (std::find(f.cited.begin(), f.cited.end(), job) == f.cited.end()) f.cited.push_back(job);
  }
  return f;
}

std::string describe(const convergence_facts& f) {
  std::string s;
  if (f.samples >= 2) {
    s = fmt::format("memory remaining went from {:.0f}% to {:.0f}% (never below {:.0f}%) over {} "
                    "{} samples ({} s)",
                    f.first_pct, f.last_pct, f.min_pct, f.samples, f.sample_source, f.span_secs);
    if (f.regressions > 0) s += fmt::format(", rising again {} time(s)", f.regressions);
    if (f.copy_bps > 0) {
      s += fmt::format("; copied ~{} while the guest dirtied ~{}", rate(f.copy_bps),
                       rate(f.dirty_bps));
    }
  }
  if (f.job_bandwidth_bps > 0 || f.job_dirty_bps > 0) {
    if (!s.empty()) s += "; ";
    s += fmt::format("domjobinfo: dirty rate {} vs bandwidth {}", rate(f.job_dirty_bps),
                     rate(f.job_bandwidth_bps));
    if (f.iterations > 0) s += fmt::format(", iteration {}", f.iterations);
    if (f.expected_downtime_ms > 0) {
      s += fmt::format(", expected downtime {:.0f} ms", f.expected_downtime_ms);
    }
  }
  return s;
}

std::string what_numbers_show(const convergence_facts& f) {
  // Progress lines measure both rates over the same interval; domjobinfo's
  // are the job's own last figures. Either answers the same question.
  const double copy = f.copy_bps > 0 ? f.copy_bps : f.job_bandwidth_bps;
  const double dirty = f.copy_bps > 0 ? f.dirty_bps : f.job_dirty_bps;
  if (copy <= 0 && dirty <= 0) return {};
  if (copy < kStalledBps) {
    return fmt::format("the transfer stalled: about {} was copied, so the guest's writes are not "
                       "what held it back; look at the migration network and at whether the "
                       "job was still running",
                       rate(copy));
  }
  if (dirty >= kDirtyShare * copy) {
    return fmt::format("the guest dirtied memory at ~{} while ~{} was copied: it wrote nearly "
                       "as fast as the copy ran, so the remaining memory could not reach the "
                       "switch-over point",
                       rate(dirty), rate(copy));
  }
  return fmt::format("the copy (~{}) outran the guest's writes (~{}): the transfer was too slow "
                     "for the time allowed rather than defeated by the guest; a bandwidth cap "
                     "([libvirt] live_migration_bandwidth) or a slow migration network is the "
                     "likelier limit",
                     rate(copy), rate(dirty));
}

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

constexpr fact_spec kFacts[] = {
    {"convergence.samples", fact_type::number,
     "progress lines (or domjobinfo loop blocks) the trend was computed from"},
    {"convergence.span_secs", fact_type::number, "seconds from the first to the last sample"},
    {"convergence.first_pct", fact_type::number, "memory remaining at the first sample, %"},
    {"convergence.min_pct", fact_type::number, "lowest memory remaining, %"},
    {"convergence.last_pct", fact_type::number, "memory remaining at the last sample, %"},
    {"convergence.regressions", fact_type::number,
     "times memory remaining rose again (a new copy round)"},
    {"convergence.copy_mib_s", fact_type::number,
     "MiB/s copied over the samples (only when at least two samples have counters)"},
    {"convergence.dirty_mib_s", fact_type::number,
     "MiB/s the guest dirtied again over the samples (as copy_mib_s)"},
    {"convergence.job_bandwidth_mib_s", fact_type::number,
     "the job's own memory bandwidth from virsh domjobinfo, MiB/s (when captured)"},
    {"convergence.job_dirty_mib_s", fact_type::number,
     "the job's dirty rate x page size from virsh domjobinfo, MiB/s (when captured)"},
    {"convergence.converging", fact_type::flag,
     "remaining memory kept falling, got near zero, or would reach it in as long again"},
    {"convergence.guest_outpaces_copy", fact_type::flag,
     "the guest dirtied at least half as fast as the copy ran (domjobinfo: at least as fast "
     "as its bandwidth)"},
    {"convergence.numbers", fact_type::text,
     "one sentence with the trend and the rates, e.g. 'memory remaining went from 91% to 49% "
     "(never below 38%) over 160 progress samples (795 s), ...'"},
    {"convergence.what_they_show", fact_type::text,
     "which of a guest outpacing the copy, a stalled transfer or a slow copy the rates show"},
    {"convergence.summary", fact_type::text,
     "'Numbers: <numbers>. What they show: <what_they_show>.', citing the first, lowest and last "
     "samples: what a non-convergence verdict quotes"},
};

}  // namespace

std::span<const fact_spec> convergence_fact_specs() { return kFacts; }

void run_convergence(const incident& inc, analyzer_output& out) {
  const auto found = analyze_convergence(inc);
  if (!found) return;
  const convergence_facts& f = *found;
  fact_set& facts = out.facts;
  facts.push_back(number_fact("convergence.samples", f.samples));
  facts.push_back(number_fact("convergence.span_secs", static_cast<double>(f.span_secs)));
  facts.push_back(number_fact("convergence.first_pct", f.first_pct));
  facts.push_back(number_fact("convergence.min_pct", f.min_pct));
  facts.push_back(number_fact("convergence.last_pct", f.last_pct));
  facts.push_back(number_fact("convergence.regressions", f.regressions));
  if (f.copy_bps > 0) {
    facts.push_back(number_fact("convergence.copy_mib_s", f.copy_bps / kMiB));
    facts.push_back(number_fact("convergence.dirty_mib_s", f.dirty_bps / kMiB));
  }
  if (f.job_bandwidth_bps > 0 || f.job_dirty_bps > 0) {
    facts.push_back(number_fact("convergence.job_bandwidth_mib_s", f.job_bandwidth_bps / kMiB));
    facts.push_back(number_fact("convergence.job_dirty_mib_s", f.job_dirty_bps / kMiB));
  }
  facts.push_back(flag_fact("convergence.converging", f.converging));
  facts.push_back(flag_fact("convergence.guest_outpaces_copy", guest_outpaces_copy(f)));
  const std::string numbers = describe(f);
  if (!numbers.empty()) {
    facts.push_back(text_fact("convergence.numbers", numbers));
    std::string summary = "Numbers: " + numbers + ".";
    const std::string shown = what_numbers_show(f);
    if (!shown.empty()) {
      facts.push_back(text_fact("convergence.what_they_show", shown));
      summary += " What they show: " + shown + ".";
    }
    // Uncredited: the rule that cites the fact (`cites:`) is named on them.
    fact quoted = text_fact("convergence.summary", std::move(summary));
    for (const event* ev : f.cited) quoted.evidence.push_back(evidence_of(*ev, {}));
    facts.push_back(std::move(quoted));
  }
}

}  // namespace migsleuth::classifiers
