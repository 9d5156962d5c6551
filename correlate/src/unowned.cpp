// Lines that name no instance: libvirtd's errors without a domain (the
// destination's `virCPUx86Compare ... incompatible with host CPU`, the
// source's `Unable to resolve address ... service '16509'`), nova errors
// under a periodic task's request. They are often where a failure was
// decided, but nothing in them says which attempt they belong to; the only
// link left is the host they were logged on and when.
//
// A line is joined to an attempt when it was logged on that attempt's source
// or destination within kMargin of the attempt's span, and to no attempt
// when several attempts' spans on that host hold it: a line of another
// attempt would give this one a wrong cause, while leaving it out only costs
// a corroborating line (the attempt's own lines still decide). Joined lines
// are marked `linked_by_time`: they never decide roles or the outcome (those
// are settled before), and a finding resting on them alone is trusted less
// (classifiers/engine/evaluate.cpp).
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "internal.hpp"

namespace migsleuth::correlate {
namespace {

// libvirt logs an error a few milliseconds before nova logs what it received
// (same host, same clock); a refusal on the destination reaches the source
// over RPC within a second or two. Five seconds covers that and sub-second
// clock differences the skew estimate cannot see, while a periodic task's
// noise minutes away stays out.
constexpr std::int64_t kMarginMicros = 5'000'000;
// How many line references a note names before it only counts.
constexpr std::size_t kNamedInNote = 3;

bool is_record(event_kind k) noexcept {
  return k == event_kind::server_record || k == event_kind::migration_record ||
         k == event_kind::hypervisor_record || k == event_kind::port_record ||
         k == event_kind::instance_listed || k == event_kind::domain_state;
}


struct span {
  incident* inc = nullptr;
  timestamp lo, hi;  // with the margin, on the incident's corrected clock
  std::vector<event> joined;
  std::size_t joined_from_memory = 0;  // the first ones; then those handed over later
  std::map<std::string, int> ambiguous;  // host -> lines another attempt's span also held
};

// started..ended; a stuck or undecided attempt has no end, and the data's
// last line would stretch its span over everything after it: its own last
// line (by identity) ends it instead.
span span_of(incident& inc) {
  span s;
  s.inc = &inc;
  timestamp hi = inc.ended;
  if (!hi.known()) {
    for (const auto& ev : inc.events) {
      if (is_record(ev.kind)) continue;
      const timestamp t = corrected_time(inc, ev);
      if (t.known() && (!hi.known() || hi < t)) hi = t;
    }
  }
  if (!inc.started.known() || !hi.known()) return s;
  s.lo = inc.started;
  s.hi = std::max(hi, inc.started);
  s.lo.micros -= kMarginMicros;
  s.hi.micros += kMarginMicros;
  return s;
}

bool holds(const span& s, const event& ev) {
  if (!s.lo.known()) return false;
  if (!same_first_label(ev.host, s.inc->source) && !same_first_label(ev.host, s.inc->destination)) {
    return false;
  }
  const timestamp t = corrected_time(*s.inc, ev);
  return s.lo <= t && t <= s.hi;
}

// Joins `ev` to the one span holding it, or counts it as ambiguous in each
// span holding it; false when none holds it. `holding` is scratch.
bool join_or_count(event& ev, std::vector<span>& spans, std::vector<span*>& holding) {
  holding.clear();
  for (auto& s : spans) {
    if (holds(s, ev)) holding.push_back(&s);
  }
  if (holding.size() == 1) {
    ev.linked_by_time = true;
    holding.front()->joined.push_back(std::move(ev));
    return true;
  }
  for (span* s : holding) ++s->ambiguous[ev.host];
  return !holding.empty();
}

std::string line_ref(const event& ev) {
  return fmt::format("{} {} line {}", ev.host, to_string(ev.source), ev.where.line);
}

void note_joined(span& s) {
  incident& inc = *s.inc;
  if (!s.joined.empty()) {
    std::string refs;
    for (std::size_t i = 0; i < s.joined.size() && i < kNamedInNote; ++i) {
      refs += (i == 0 ? "" : ", ") + line_ref(s.joined[i]);
    }
    if (s.joined.size() > kNamedInNote) {
      refs += fmt::format(" and {} more", s.joined.size() - kNamedInNote);
    }
    inc.notes.push_back(fmt::format(
        "{} line(s) naming neither this instance nor its request joined to this attempt by "
        "host and time only (logged on its source or destination within {} s of its span, "
        "while no other attempt ran there): {}",
        s.joined.size(), kMarginMicros / 1'000'000, refs));
  }
  for (const auto& [host, n] : s.ambiguous) {
    inc.notes.push_back(fmt::format(
        "{} line(s) on {} naming no instance fell within this attempt and another one on that "
        "host: not used, they could belong to either",
        n, host));
  }
}

// What makes a line naming nothing worth joining or reporting at all.
bool speaks_for_itself(const event& ev) noexcept {
  // It names an instance, one that is no UUID: joined by time it would
  // speak for whichever attempt ran then, which it explicitly is not.
  if (ev.instance_unknown) return false;
  if (is_record(ev.kind)) return false;
  if (ev.kind != event_kind::log_line || !ev.shape.empty()) return true;
  return ev.level == "WARNING" || ev.level == "ERROR" || ev.level == "CRITICAL";
}

}  // namespace

bool is_hostless_unowned(const event& ev) noexcept {
  return ev.instance.empty() && ev.domain.empty() && ev.host.empty() && speaks_for_itself(ev);
}

bool is_unowned(const event& ev) noexcept {
  if (!ev.instance.empty() || !ev.domain.empty() || ev.host.empty() || !ev.time.known()) {
    return false;
  }
  return speaks_for_itself(ev);
}

std::vector<std::size_t> attach_unowned(std::vector<incident>& incidents,
                                        std::vector<event>& events,
                                        std::span<const std::size_t> unowned,
                                        const later_unowned& later) {
  std::vector<std::size_t> unattached;
  std::vector<span> spans;
  spans.reserve(incidents.size());
  for (auto& inc : incidents) spans.push_back(span_of(inc));
  std::vector<span*> holding;
  for (std::size_t i : unowned) {
    // Held by two attempts is not loose: notes say it was left out.
    if (!join_or_count(events[i], spans, holding)) unattached.push_back(i);
  }
  if (later) {
    for (auto& s : spans) s.joined_from_memory = s.joined.size();
    later([&](event& ev) {
      if (is_unowned(ev)) (void)join_or_count(ev, spans, holding);
    });
    // Both batches were read in walk then line order: merged, they are in
    // the order one batch of them all would have had.
    for (auto& s : spans) {
      const auto middle = s.joined.begin() + static_cast<std::ptrdiff_t>(s.joined_from_memory);
      std::inplace_merge(s.joined.begin(), middle, s.joined.end(),
                         [](const event& a, const event& b) { return a.where < b.where; });
    }
  }
  for (auto& s : spans) {
    if (s.joined.empty() && s.ambiguous.empty()) continue;
    note_joined(s);
    auto& evs = s.inc->events;
    evs.insert(evs.end(), std::make_move_iterator(s.joined.begin()),
               std::make_move_iterator(s.joined.end()));
    sort_corrected(*s.inc);
  }
  return unattached;
}

}  // namespace migsleuth::correlate
