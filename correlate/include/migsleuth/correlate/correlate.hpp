// Correlate: events from every host -> one incident per live-migration attempt.
// Joins by instance UUID, request id and libvirt domain name; decides the
// source and destination from what each host logged (never from host names);
// decides the outcome; orders each incident's events in UTC.
//
// What it does not do: say why an attempt failed (classifiers/).
//
//   auto incidents = correlate(events, {});
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "migsleuth/core/event.hpp"
#include "migsleuth/core/identity_index.hpp"
#include "migsleuth/core/incident.hpp"
#include "migsleuth/correlate/host_index.hpp"

namespace migsleuth::correlate {

struct options {
  std::string instance;  // UUID or domain name; empty = all
  timestamp since;       // unknown = unbounded
  timestamp until;
  // Hosts the data holds any input from: lets notes tell "no logs from X"
  // apart from "X's logs say nothing about this attempt".
  std::vector<std::string> hosts_with_inputs;
  // The analysis' identities (core/identity_index.hpp), with the hosts'
  // names host_index::publish gave it: a destination a line names, or a
  // controller record's compute, is spelled as the events' hosts are (they
  // were renamed with it). Null, or no host names in it: names are matched
  // by their first label.
  const identity_index* identities = nullptr;
  // Hosts whose nova logs are all of control-plane services (nova-conductor,
  // -scheduler, -api): never an end of a move, whatever request their lines
  // carry (the conductor logs a destination's port-binding refusal itself).
  std::vector<std::string> control_plane_hosts;
};

class line_filter;

// Hands each line of a second batch of lines naming no instance to the
// function it is given, once, in walk then line order, when correlate asks,
// after its attempts are built (event_source::take_unowned).
using later_unowned = std::function<void(const std::function<void(event&)>&)>;

// `events` is consumed (moved into incidents); the order of the result is by
// start time, then id. Their instances are already resolved (identity_index::
// resolve) and `usable` was built from them: correlate asks it which
// instances migrated and where their attempts lie, and resolves nothing again.
// `loose`, when given, receives the log lines no attempt holds: lines about an
// instance with no migration line, and lines naming no instance that no
// attempt's host and time hold (report `findings[]` is made from these).
// `later`: lines naming no instance that no rule reads alone, joined to an
// attempt by host and time like the others, or else dropped (not loose).
std::vector<incident> correlate(std::vector<event> events, const line_filter& usable,
                                const options& opt, std::vector<event>* loose = nullptr,
                                const later_unowned& later = {});

// The same for events as the parsers give them: resolves their instances
// from themselves and `links` (request id -> instance, from any log line),
// builds the line filter, then correlates. For callers with no deferred
// lines (tests, tools); pipeline::run pulls from ingest's event_source
// through usable_events (usable_events.hpp), which uses the form above.
std::vector<incident> correlate(std::vector<event> events, std::span<const identity_link> links,
                                const options& opt, std::vector<event>* loose = nullptr);

// How far before its first migration line a line may be and still belong to
// an attempt: the destination QEMU starts, and clocks differ, a little before
// the source's first line. Older lines with no request id of the attempt are
// unrelated.
inline constexpr std::int64_t kAttemptLeadSeconds = 600;

// How long after an attempt's last migration line a line that is not of its
// request still belongs to it: lifecycle events, QEMU teardown and the
// network events that follow an attempt come within minutes. Later lines are
// what the instance did next (hours of periodic-task warnings, other
// operations), not part of this attempt; keeping them made every instance's
// last attempt grow with the logs. The exception is the power-state sync's
// "pending task (migrating)" line: it is how an attempt that never ended shows.
inline constexpr std::int64_t kAttemptTailSeconds = 1800;

// Which lines correlate() could use, known before it runs from the lines that
// decide it (migration markers, and whatever names their instance): a line
// about an instance that never migrated, or of no attempt's request and
// outside every attempt's window (kAttemptLeadSeconds before its first
// migration line to kAttemptTailSeconds after its last), is never used. Lets a
// caller leave such lines unread (ingest's deferred lines). Built once per
// analysis and handed to correlate(), which splits attempts on its plans.
class attempt_plan;

class line_filter {
 public:
  // From events whose instances are resolved (identity_index::resolve):
  // every migration marker is in them (deferred lines are never markers).
  explicit line_filter(std::span<const event> events);
  ~line_filter();
  line_filter(const line_filter&) = delete;
  line_filter& operator=(const line_filter&) = delete;
  // Exactly what correlate() keeps of a line naming a migrating instance.
  [[nodiscard]] bool may_use(const event& ev) const;
  // An instance with a migration marker: correlate() builds incidents for these only.
  [[nodiscard]] bool migrating(std::string_view instance) const {
    return !instance.empty() && plans_.find(instance) != plans_.end();
  }
  // The attempts of a migrating instance (null for any other).
  [[nodiscard]] const attempt_plan* plan_of(std::string_view instance) const;

 private:
  std::map<std::string, std::unique_ptr<const attempt_plan>, std::less<>> plans_;  // by instance
};

// Stable incident id: "mig-" + 16 hex digits of FNV-1a over instance, source
// and first event time.
std::string incident_id(const std::string& instance, const std::string& source, timestamp first);

}  // namespace migsleuth::correlate
