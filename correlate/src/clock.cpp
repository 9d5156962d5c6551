// Clock skew between the source and the destination of one attempt.
//
// Each pair (A on one host happens before B on the other) bounds the offset
// d = destination clock - source clock: A(src) -> B(dst) gives d <= B - A, and
// A(dst) -> B(src) gives d >= A - B. The pairs come from how nova and libvirt
// call each other during a live migration (the source waits for
// pre_live_migration before it starts the job; libvirt starts the destination
// QEMU with -incoming before the source sends; the destination's post step
// and rollback run only after the source's job ended). An offset is applied
// only when the bounds exclude zero: NTP-synced hosts are the common case,
// and a correction the data does not demand would only move lines around.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "internal.hpp"

namespace migsleuth::correlate {
namespace {

struct ordered_pair {
  event_kind first;
  bool first_on_source;
  event_kind then;
};

// "first" happens before "then"; the two are on opposite hosts.
constexpr ordered_pair kPairs[] = {
    {event_kind::dest_pre_migration, false, event_kind::migration_started},
    {event_kind::dest_pre_migration, false, event_kind::pre_migration_done},
    {event_kind::dest_pre_migration, false, event_kind::qemu_migration_out},
    {event_kind::qemu_incoming, false, event_kind::qemu_migration_out},
    {event_kind::migration_started, true, event_kind::qemu_incoming},
    {event_kind::migration_completed, true, event_kind::dest_post_migration},
    {event_kind::qemu_migration_out, true, event_kind::dest_post_migration},
    {event_kind::dest_post_migration, false, event_kind::migration_succeeded},
    {event_kind::migration_failed, true, event_kind::rollback},
    {event_kind::migration_aborted, true, event_kind::rollback},
};

double seconds_between(timestamp later, timestamp earlier) {
  return static_cast<double>(later.micros - earlier.micros) / 1e6;
}

// Every line of the "first" phase precedes every line of the "then" phase in
// the pairs above, so the latest "first" and the earliest "then" give the
// tightest bound. If that ever fails, the bounds cross and nothing is applied.
const event* pick(const incident& inc, event_kind kind, const std::string& host, bool earliest) {
  const event* found = nullptr;
  for (const auto& ev : inc.events) {
    if (ev.kind != kind || ev.host != host || !ev.time.known()) continue;
    // Only lines of this attempt's request, or lines with no request at all
    // (QEMU), can be paired: a periodic task's line proves nothing.
    if (!ev.request_id.empty() && !inc.request_id.empty() && ev.request_id != inc.request_id) {
      continue;
    }
    if (found == nullptr || (earliest ? ev.time < found->time : found->time < ev.time)) {
      found = &ev;
    }
  }
  return found;
}

}  // namespace

void estimate_skew(incident& inc) {
  clock_skew& s = inc.skew;
  s = clock_skew{};
  if (inc.source.empty() || inc.destination.empty() || inc.source == inc.destination) return;
  s.reference = inc.source;
  s.host = inc.destination;
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  for (const auto& p : kPairs) {
    const std::string& first_host = p.first_on_source ? inc.source : inc.destination;
    const std::string& then_host = p.first_on_source ? inc.destination : inc.source;
    const event* a = pick(inc, p.first, first_host, /*earliest=*/false);
    const event* b = pick(inc, p.then, then_host, /*earliest=*/true);
    if (a == nullptr || b == nullptr) continue;
    ++s.pairs;
    if (p.first_on_source) {
      hi = std::min(hi, seconds_between(b->time, a->time));
    } else {
      lo = std::max(lo, seconds_between(a->time, b->time));
    }
  }
  s.has_lower = lo > -std::numeric_limits<double>::infinity();
  s.has_upper = hi < std::numeric_limits<double>::infinity();
  s.lower = s.has_lower ? lo : 0;
  s.upper = s.has_upper ? hi : 0;
  if (s.pairs == 0) {
    s.basis = "no ordered pair of lines across the two hosts: skew unknown, times as logged";
    return;
  }
  if (s.has_lower && s.has_upper && lo > hi) {
    s.basis = fmt::format(
        "the {} ordered pair(s) disagree (lower bound {:.3f} s > upper bound {:.3f} s): times as "
        "logged",
        s.pairs, lo, hi);
    return;
  }
  if ((!s.has_lower || lo <= 0) && (!s.has_upper || hi >= 0)) {
    s.basis = fmt::format("{} ordered pair(s) are consistent with synchronized clocks", s.pairs);
    return;
  }
  // The data demands a correction: take the middle of the bounds when both
  // exist, else the bound nearest zero (the smallest correction that restores
  // cause before effect).
  s.offset = s.has_lower && s.has_upper ? (lo + hi) / 2 : (s.has_lower ? lo : hi);
  s.applied = true;
  s.basis = fmt::format(
      "{} ordered pair(s) put {}'s clock {:.3f} s {} {}'s; the timeline is ordered on the "
      "source's clock",
      s.pairs, s.host, std::abs(s.offset), s.offset > 0 ? "ahead of" : "behind", s.reference);
}

}  // namespace migsleuth::correlate
