// The convergence samples as the report's plot draws them (public header
// migsleuth/classifiers/convergence_series.hpp).
#include "migsleuth/classifiers/convergence_series.hpp"

#include <algorithm>
#include <string_view>

#include "analyzers/event_number.hpp"
#include "migsleuth/core/captures.hpp"

namespace migsleuth::classifiers {
namespace {

std::vector<convergence_rate> derived_rates(const std::vector<convergence_sample>& p) {
  std::vector<convergence_rate> out;
  if (p.size() < 2) return out;
  const std::size_t w = std::clamp<std::size_t>(p.size() / 20, 1, 10);
  for (std::size_t i = w; i < p.size(); ++i) {
    const convergence_sample& a = p[i - w];
    const convergence_sample& b = p[i];
    const double dt = b.secs - a.secs;
    const double copied = b.processed - a.processed;
    if (dt <= 0 || copied < 0) continue;
    const double copy = copied / dt;
    const double dirty = std::max(0.0, copy - (a.remaining - b.remaining) / dt);
    out.push_back({b.secs, copy, dirty});
  }
  return out;
}

}  // namespace

convergence_series convergence_series_of(const incident& inc) {
  convergence_series s;
  for (const auto& ev : inc.events) {
    if (ev.kind == event_kind::migration_progress && event_number(ev, capture::mem_total) > 0) {
      s.progress.push_back({event_number(ev, capture::secs),
                            event_number(ev, capture::mem_remaining),
                            event_number(ev, capture::mem_processed),
                            event_number(ev, capture::mem_total), 0, 0});
    } else if (ev.kind == event_kind::job_stats && event_number(ev, "memory_total_bytes") > 0) {
      s.jobs.push_back({event_number(ev, "time_elapsed_ms") / 1000.0,
                        event_number(ev, "memory_remaining_bytes"), 0, event_number(ev, "memory_total_bytes"),
                        event_number(ev, "memory_bandwidth_bps"),
                        event_number(ev, "dirty_rate_pps") * event_number(ev, "page_size_bytes")});
    }
  }
  s.rates = derived_rates(s.progress);
  return s;
}

}  // namespace migsleuth::classifiers
