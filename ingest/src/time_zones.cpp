// Each host's UTC offset, from the host's own two clocks. oslo.log text writes
// naive local time; libvirt writes its per-domain log in UTC (+0000). On one
// host, nova's "About to invoke the migrate API" precedes libvirt's
// "initiating migration" by seconds, and pre_live_migration precedes the
// destination QEMU's start: the difference of such a pair is the offset,
// give or take those seconds, and real offsets are whole quarter hours.
#include "time_zones.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace migsleuth::ingest {
namespace {

// A pair is usable when its events are this close once the offset is removed.
constexpr std::int64_t kPairSlackSeconds = 120;

struct clock_pair {
  event_kind nova;
  event_kind qemu;
};
constexpr clock_pair kPairs[] = {
    {event_kind::migration_started, event_kind::qemu_migration_out},
    {event_kind::dest_pre_migration, event_kind::qemu_incoming},
    {event_kind::migration_completed, event_kind::qemu_shutdown},
};

std::string hhmm(std::int64_t seconds) {
  const char sign = seconds < 0 ? '-' : '+';
  const std::int64_t a = std::abs(seconds);
  return fmt::format("UTC{}{:02}:{:02}", sign, a / 3600, (a / 60) % 60);
}

}  // namespace

void derive_time_zones(analysis_input& out, const ingest_options& opt) {
  // QEMU (UTC) times by host, instance and kind: an index, so pairing costs
  // one lookup per nova line rather than a scan of every event.
  std::map<std::tuple<std::string, std::string, event_kind>, std::vector<std::int64_t>> qemu;
  for (const auto& q : out.events) {
    if (q.local_clock || !q.time.known() || q.instance.empty()) continue;
    for (const auto& p : kPairs) {
      if (q.kind == p.qemu) qemu[{q.host, q.instance, q.kind}].push_back(q.time.micros);
    }
  }
  std::map<std::string, std::vector<std::int64_t>> offsets;  // host -> pair estimates
  for (const auto& n : out.events) {
    if (!n.local_clock || !n.time.known() || n.instance.empty()) continue;
    for (const auto& p : kPairs) {
      if (n.kind != p.nova) continue;
      const auto it = qemu.find({n.host, n.instance, p.qemu});
      if (it == qemu.end()) continue;
      bool found = false;
      std::int64_t best = 0, best_gap = 0;
      for (const std::int64_t q : it->second) {
        const std::int64_t diff = (n.time.micros - q) / 1'000'000;
        const std::int64_t rounded = nearest_quarter_hour(diff);
        const std::int64_t gap = std::abs(diff - rounded);
        if (gap <= kPairSlackSeconds && (!found || gap < best_gap)) {
          found = true;
          best = rounded;
          best_gap = gap;
        }
      }
      if (found) offsets[n.host].push_back(best);
    }
  }

  // host -> offset, why (one text for all of a host's inputs)
  std::map<std::string, std::pair<std::int64_t, shared_text>> decided;
  for (auto& [host, est] : offsets) {
    std::sort(est.begin(), est.end());
    const std::int64_t median = est[est.size() / 2];
    const auto agree = std::count(est.begin(), est.end(), median);
    if (median == 0) continue;
    decided[host] = {median, fmt::format("{} (from {} of {} nova/QEMU line pair(s) on this host: "
                                         "nova-compute logs local time, libvirt logs UTC)",
                                         hhmm(median), agree, est.size())};
  }
  std::map<std::string, shared_text, std::less<>> given_clock;  // the last --tz of a host
  for (const auto& tz : opt.time_zones) {
    given_clock[tz.host] = hhmm(tz.offset_seconds) + " (given with --tz)";
  }
  const shared_text utc = "UTC (no --tz and no nova/QEMU line pair on this host says otherwise)";
  for (auto& in : out.inputs) {
    // A container log dated each line by the runtime's stamp (pod_log.hpp).
    if (in.kind != input_kind::nova_compute || !in.clock.empty()) continue;
    if (auto g = given_clock.find(in.host.str()); g != given_clock.end()) {
      in.clock = g->second;
    } else if (auto it = decided.find(in.host.str()); it != decided.end()) {
      in.clock = it->second.second;
    } else {
      in.clock = utc;
    }
  }
  for (const auto& entry : decided) {
    const std::string& host = entry.first;  // clang 14 cannot capture a structured binding
    const bool given = std::any_of(opt.time_zones.begin(), opt.time_zones.end(),
                                   [&](const tz_override& tz) { return tz.host == host; });
    if (!given) out.local_clock_shift[host] = entry.second.first;
  }
  for (auto& ev : out.events) {
    if (!ev.local_clock || !ev.time.known()) continue;
    if (auto it = out.local_clock_shift.find(ev.host); it != out.local_clock_shift.end()) {
      ev.time.add_seconds(-it->second);
    }
  }
}

}  // namespace migsleuth::ingest
