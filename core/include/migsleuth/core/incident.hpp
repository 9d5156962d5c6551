// Incident: one live-migration attempt rebuilt from both hosts' events.
//
// What it does not do: say why it failed (that is a verdict, classifiers/).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/core/event.hpp"

namespace migsleuth {

enum class outcome : std::uint8_t { failed, succeeded, stuck, unknown };
std::string_view to_string(outcome o) noexcept;

// Where an attempt got to: the state machine of HACKING.md "Attempt states".
// requested -> pre-checked -> transferring (pre-copy) -> post-copy -> completing
// -> succeeded | failed | rolled back | stuck (pre-copy) | stuck (post-copy).
// The outcome is the contract's coarse view of the same walk.
enum class attempt_phase : std::uint8_t {
  requested,        // a request or pre-check line, nothing on the wire yet
  prechecked,       // the destination prepared (pre_live_migration)
  transferring,     // the libvirt job runs in pre-copy: the guest runs on the source
  post_copy,        // switched to post-copy: the guest runs on the destination
  completing,       // the job completed; nova's post-migration steps not (yet) seen
  succeeded,
  failed,           // failed while the guest still ran on the source (or before the job)
  rolled_back,      // the destination was cleaned up after a failure
  stuck_pre_copy,   // started, never completed nor rolled back, guest on the source
  stuck_post_copy,  // switched to post-copy and never completed: guest on the destination
  unknown,
};
std::string_view to_string(attempt_phase p) noexcept;

// How far the destination's clock is from the source's, bounded by pairs of
// lines that must happen in order (the source waits for pre_live_migration,
// the destination QEMU starts before the source sends, ...).
struct clock_skew {
  std::string reference;  // the source host: its clock is the reference
  std::string host;       // the destination host
  int pairs = 0;          // ordered pairs that bounded the offset
  bool has_lower = false, has_upper = false;
  double lower = 0, upper = 0;  // bounds of (host clock - reference clock), seconds
  double offset = 0;            // the estimate, seconds
  bool applied = false;         // the timeline was reordered with it
  std::string basis;            // one sentence: how it was decided
};

struct incident {
  std::string id;             // stable: hash of instance, source, first event time
  std::string instance;       // UUID
  std::string domain;         // libvirt domain name, or empty
  std::string request_id;
  std::string migration_id;
  std::string source;         // host names, empty when unknown
  std::string destination;
  std::string source_from;    // how the role was decided (for --explain / notes)
  std::string destination_from;
  timestamp started;  // on the source's clock when a skew was applied
  timestamp ended;
  clock_skew skew;
  outcome result = outcome::unknown;
  attempt_phase phase = attempt_phase::unknown;
  bool post_copy = false;  // a line shows the switch to post-copy: from then on the guest
                           // ran on the destination, whatever happened next
  timestamp post_copy_at;  // when it switched, if a timed line shows it
  std::string guest_host;  // where the lines say the guest runs at the end, or empty
  std::vector<event> events;  // time-ordered, both hosts
  std::vector<std::string> notes;  // e.g. "no logs from the destination host"
};

// The one place an event's time is corrected: on the source's clock, the
// destination's events moved by the estimated skew when correlate applied one
// (correlate/src/clock.cpp decides; correlate orders by it, the report shows
// it, as the JSON timeline's `time_on_source_clock`).
inline timestamp corrected_time(const incident& inc, const event& ev) noexcept {
  timestamp t = ev.time;
  if (inc.skew.applied && t.known() && !ev.host.empty() && ev.host == inc.skew.host) {
    t.micros -= static_cast<std::int64_t>(inc.skew.offset * 1e6);
  }
  return t;
}

}  // namespace migsleuth
