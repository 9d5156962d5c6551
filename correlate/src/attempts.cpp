// Splitting one instance's events into attempts. The request id of the live
// migration request is shared by the source, the destination and the
// conductor (oslo.context propagates it over RPC), so each request id seen on
// a migration marker is one attempt. Lines with no request id (lifecycle
// events, QEMU logs) join the attempt whose time they fall in.

#include <optional>

#include "internal.hpp"
#include "migsleuth/correlate/correlate.hpp"

namespace migsleuth::correlate {
namespace {

// `openstack port show` describes the instance's devices as they are when
// captured, not a moment of one attempt: its `updated_at` may be days before
// the migration (the drop of older lines would lose it) and every attempt of
// the instance had the same ports. Each attempt gets a copy.
bool is_instance_snapshot(const event& ev) { return ev.kind == event_kind::port_record; }

}  // namespace

std::vector<incident> split_attempts(const std::string& instance, std::vector<event> events,
                                     const instance_context& ctx) {
  std::optional<attempt_plan> own;
  if (ctx.plan == nullptr) {
    std::vector<const event*> markers;
    for (const auto& ev : events) {
      if (is_migration_marker(ev)) markers.push_back(&ev);
    }
    own.emplace(markers);
  }
  const attempt_plan& plan = ctx.plan != nullptr ? *ctx.plan : *own;
  struct attempt {
    std::string request_id;
    std::vector<event> events;
  };
  std::vector<attempt> attempts;
  for (const auto& a : plan.attempts()) attempts.push_back({a.request_id, {}});

  // Each attempt's list sized first: grown by doubling, an attempt of
  // thousands of lines held up to twice their events (issue 20's megabyte lines).
  std::vector<std::size_t> homes(attempts.size(), 0);
  std::size_t snapshot_count = 0;
  for (const auto& ev : events) {
    if (is_instance_snapshot(ev)) {
      ++snapshot_count;
    } else if (const auto home = plan.place(ev)) {
      ++homes[*home];
    }
  }
  for (std::size_t k = 0; k < attempts.size(); ++k) {
    if (homes[k] > 0) attempts[k].events.reserve(homes[k] + snapshot_count);
  }
  std::vector<event> snapshots;
  for (auto& ev : events) {
    if (is_instance_snapshot(ev)) {
      snapshots.push_back(std::move(ev));
    } else if (const auto home = plan.place(ev)) {
      attempts[*home].events.push_back(std::move(ev));
    }
  }
  std::vector<event>().swap(events);  // moved-from shells, not needed below

  std::vector<incident> out;
  for (auto& a : attempts) {
    if (a.events.empty()) continue;
    a.events.insert(a.events.end(), snapshots.begin(), snapshots.end());
    incident inc;
    inc.instance = instance;
    inc.domain = ctx.domain;
    inc.request_id = a.request_id;
    inc.events = std::move(a.events);
    sort_events(inc.events);
    assign_roles(inc, ctx);
    apply_records(inc, ctx);
    estimate_skew(inc);
    sort_corrected(inc);
    // The start is the first migration line in the hosts' logs; the
    // controller's record (second precision, API time) only when there is none,
    // so the same attempt gets the same start and id whatever was collected.
    for (const auto& ev : inc.events) {
      if (inc.domain.empty() && !ev.domain.empty()) inc.domain = ev.domain;
      if (!inc.started.known() && is_migration_marker(ev) &&
          ev.kind != event_kind::migration_record) {
        inc.started = corrected_time(inc, ev);
      }
    }
    for (const auto& ev : inc.events) {
      if (!inc.started.known() && is_migration_marker(ev)) inc.started = corrected_time(inc, ev);
    }
    if (!inc.started.known() && !inc.events.empty()) {
      inc.started = corrected_time(inc, inc.events.front());
    }
    decide_outcome(inc);
    outcome_from_records(inc);
    settle_phase(inc);
    inc.id = incident_id(inc.instance, inc.source, inc.started);
    out.push_back(std::move(inc));
  }
  return out;
}

}  // namespace migsleuth::correlate
