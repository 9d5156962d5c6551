// Splitting one instance's events into attempts. The request id of the live
// migration request is shared by the source, the destination and the
// conductor (oslo.context propagates it over RPC), so each request id seen on
// a migration marker is one attempt. Lines with no request id (lifecycle
// events, QEMU logs) join the attempt whose time they fall in.
#include <algorithm>
#include <map>

#include "internal.hpp"
#include "migsleuth/correlate/correlate.hpp"

namespace migsleuth::correlate {
namespace {

// A line this much after an attempt's start, with no request id of its own,
// belongs to the latest attempt that had started by then.
constexpr std::int64_t kSkewSlackSeconds = 120;

struct attempt {
  std::string request_id;
  timestamp first;
  std::vector<event> events;
};

// `openstack port show` describes the instance's devices as they are when
// captured, not a moment of one attempt: its `updated_at` may be days before
// the migration (the drop of older lines would lose it) and every attempt of
// the instance had the same ports. Each attempt gets a copy.
bool is_instance_snapshot(const event& ev) { return ev.kind == event_kind::port_record; }

bool in_anchor_set(const std::map<std::string, timestamp>& anchors, const event& ev) {
  return !ev.request_id.empty() && anchors.count(ev.request_id) > 0;
}

}  // namespace

bool shows_migration_pending(const event& ev) noexcept {
  return ev.kind == event_kind::task_pending && ev.value("task") == "migrating";
}

std::vector<incident> split_attempts(const std::string& instance, std::vector<event> events,
                                     const instance_context& ctx) {
  std::map<std::string, timestamp> anchors;
  for (const auto& ev : events) {
    if (ev.request_id.empty() || !is_migration_marker(ev)) continue;
    auto [it, inserted] = anchors.emplace(ev.request_id, ev.time);
    if (!inserted && ev.time.known() && (!it->second.known() || ev.time < it->second)) {
      it->second = ev.time;
    }
  }
  std::vector<attempt> attempts;
  for (const auto& [req, first] : anchors) attempts.push_back({req, first, {}});
  if (attempts.empty()) {
    timestamp first;
    for (const auto& ev : events) {
      if (is_migration_marker(ev)) {
        first = ev.time;
        break;
      }
    }
    attempts.push_back({{}, first, {}});
  }
  std::sort(attempts.begin(), attempts.end(), [](const attempt& a, const attempt& b) {
    if (a.first != b.first) return a.first < b.first;
    return a.request_id < b.request_id;
  });

  // The attempt a line of no attempt's request belongs to: the latest one
  // that had started by then (with slack for the hosts' clocks).
  const auto home_of = [&attempts](const event& ev) -> std::size_t {
    if (!ev.time.known()) return attempts.size() - 1;
    std::size_t home = 0;
    timestamp t = ev.time;
    t.add_seconds(kSkewSlackSeconds);
    for (std::size_t i = 0; i < attempts.size(); ++i) {
      if (!attempts[i].first.known() || attempts[i].first <= t) home = i;
    }
    return home;
  };
  const auto index_of = [&attempts](const std::string& request_id) {
    std::size_t i = 0;
    while (i + 1 < attempts.size() && attempts[i].request_id != request_id) ++i;
    return i;
  };
  std::vector<timestamp> last_marker(attempts.size());
  for (const auto& ev : events) {
    if (!is_migration_marker(ev) || !ev.time.known()) continue;
    timestamp& last = last_marker[in_anchor_set(anchors, ev) ? index_of(ev.request_id) : home_of(ev)];
    if (!last.known() || last < ev.time) last = ev.time;
  }

  std::vector<event> snapshots;
  for (auto& ev : events) {
    if (is_instance_snapshot(ev)) {
      snapshots.push_back(std::move(ev));
      continue;
    }
    if (in_anchor_set(anchors, ev)) {
      attempts[index_of(ev.request_id)].events.push_back(std::move(ev));
      continue;
    }
    const std::size_t home = home_of(ev);
    if (ev.time.known()) {
      timestamp opens = attempts[home].first;
      opens.add_seconds(-kAttemptLeadSeconds);
      if (attempts[home].first.known() && ev.time < opens) continue;  // older, unrelated lines
      timestamp closes = last_marker[home];
      closes.add_seconds(kAttemptTailSeconds);
      if (closes.known() && closes < ev.time && !shows_migration_pending(ev)) continue;
    }
    attempts[home].events.push_back(std::move(ev));
  }

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
    apply_records(inc);
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
    inc.id = incident_id(inc.instance, inc.source, inc.started);
    out.push_back(std::move(inc));
  }
  return out;
}

}  // namespace migsleuth::correlate
