#include <algorithm>
#include <map>
#include <set>
#include <span>

#include <fmt/format.h>

#include "internal.hpp"
#include "migsleuth/core/stable_hash.hpp"
#include "migsleuth/correlate/correlate.hpp"

namespace migsleuth::correlate {

namespace {

// By time (unknown last), then host, input and line: events and listings alike.
template <typename T>
void sort_by_time_host_place(std::vector<T>& items) {
  std::stable_sort(items.begin(), items.end(), [](const T& a, const T& b) {
    if (a.time.known() != b.time.known()) return a.time.known();
    if (a.time != b.time) return a.time < b.time;
    if (a.host != b.host) return a.host < b.host;
    return a.where < b.where;
  });
}

}  // namespace

void sort_events(std::vector<event>& events) { sort_by_time_host_place(events); }

void sort_corrected(incident& inc) {
  std::stable_sort(inc.events.begin(), inc.events.end(), [&inc](const event& a, const event& b) {
    const timestamp ta = corrected_time(inc, a);
    const timestamp tb = corrected_time(inc, b);
    if (ta.known() != tb.known()) return ta.known();
    if (ta != tb) return ta < tb;
    if (a.host != b.host) return a.host < b.host;
    return a.where < b.where;
  });
}

void sort_listings(std::vector<listing>& listings) { sort_by_time_host_place(listings); }

void keep_run_ends(std::vector<listing>& listings) {
  const std::size_t n = listings.size();
  std::vector<bool> keep(n);
  for (std::size_t i = 0; i < n; ++i) {
    keep[i] = i == 0 || i + 1 == n || listings[i - 1].host != listings[i].host ||
              listings[i + 1].host != listings[i].host;
  }
  std::size_t out = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!keep[i]) continue;
    if (out != i) listings[out] = std::move(listings[i]);
    ++out;
  }
  listings.resize(out);
}

bool is_migration_marker(const event& ev) noexcept {
  if (ev.kind == event_kind::migration_record) {
    // Resizes, cold migrations and evacuations are in the same list.
    const std::string_view type = ev.value("type");
    return type.empty() || type == "live-migration";
  }
  return traits(ev.kind).marks_migration;
}

std::string incident_id(const std::string& instance, const std::string& source, timestamp first) {
  stable_hash h;
  h.mix(instance);
  h.mix(source);
  h.mix(std::to_string(first.micros));
  return fmt::format("mig-{:016x}", h.value());
}

namespace {

// Lines ingest kept short once their file's text about the instance was
// spent (event::text_budget_cut): said once per incident, so an operator
// reading a timeline of cut lines knows why and that the cut is deliberate.
void note_budget_cuts(incident& inc) {
  const auto cut = std::count_if(inc.events.begin(), inc.events.end(),
                                 [](const event& ev) { return ev.text_budget_cut; });
  if (cut == 0) return;
  inc.notes.push_back(fmt::format(
      "{} line(s)' text kept only to their first {} bytes (each ends in '[line cut: N bytes]'): "
      "their file's kept text about this instance had passed {} MiB",
      cut, kBudgetPrefixBytes, kKeptTextBudgetBytes >> 20));
}

}  // namespace

std::vector<incident> correlate(std::vector<event> events, std::span<const identity_link> links,
                                const options& opt, std::vector<event>* loose) {
  identity_index ids;
  ids.learn(links);
  for (const auto& ev : events) ids.learn(ev);
  ids.resolve(events);
  const line_filter usable(events);
  return correlate(std::move(events), usable, opt, loose);
}

std::vector<incident> correlate(std::vector<event> events, const line_filter& usable,
                                const options& opt, std::vector<event>* loose,
                                const later_unowned& later) {
  // Each line is moved once, to where it is used, into vectors sized for it,
  // and the vector that held them all is released before attempts are
  // built: a line is held once (it was held by `events`, emptied, and again
  // by its instance's vector, grown by doubling, while attempts were built).
  std::map<std::string, std::size_t, std::less<>> lines_of;  // migrating instance -> lines
  std::size_t unowned_lines = 0;
  for (const auto& ev : events) {
    if (is_unowned(ev)) {
      ++unowned_lines;
    } else if (ev.kind != event_kind::instance_listed && usable.migrating(ev.instance)) {
      ++lines_of[ev.instance];
    }
  }
  std::map<std::string, std::vector<event>> by_instance;
  for (const auto& [instance, n] : lines_of) by_instance[instance].reserve(n);
  std::map<std::string, instance_context> contexts;
  // Lines naming no instance, in their order, for attach_unowned() below.
  std::vector<event> unowned;
  unowned.reserve(unowned_lines);
  for (auto& ev : events) {
    if (is_unowned(ev)) {
      unowned.push_back(std::move(ev));
      continue;
    }
    if (!usable.migrating(ev.instance)) {
      if (loose != nullptr && (!ev.instance.empty() || is_hostless_unowned(ev))) {
        loose->push_back(std::move(ev));
      }
      continue;
    }
    instance_context& ctx = contexts[ev.instance];
    if (ctx.domain.empty() && !ev.domain.empty()) ctx.domain = ev.domain;
    if (ev.kind == event_kind::instance_listed) {
      ctx.listings.push_back({ev.time, std::move(ev.host), ev.where});
      continue;
    }
    by_instance.find(ev.instance)->second.push_back(std::move(ev));
  }
  std::vector<event>().swap(events);
  std::vector<incident> all;
  for (auto it = by_instance.begin(); it != by_instance.end(); it = by_instance.erase(it)) {
    const std::string& instance = it->first;
    std::vector<event>& evs = it->second;
    sort_events(evs);
    instance_context& ctx = contexts[instance];
    ctx.hosts_with_inputs = &opt.hosts_with_inputs;
    ctx.identities = opt.identities;
    ctx.plan = usable.plan_of(instance);
    ctx.control_plane_hosts = &opt.control_plane_hosts;
    sort_listings(ctx.listings);
    keep_run_ends(ctx.listings);
    for (auto& inc : split_attempts(instance, std::move(evs), ctx)) all.push_back(std::move(inc));
  }
  // Before the filters below: whether a line is ambiguous must not depend on
  // which attempts the user asked to see.
  std::vector<std::size_t> every_unowned(unowned.size());
  for (std::size_t i = 0; i < unowned.size(); ++i) every_unowned[i] = i;
  const std::vector<std::size_t> unattached = attach_unowned(all, unowned, every_unowned, later);
  if (loose != nullptr) {
    for (std::size_t i : unattached) loose->push_back(std::move(unowned[i]));
  }
  std::vector<incident> out;
  for (auto& inc : all) {
    if (!opt.instance.empty() && opt.instance != inc.instance && opt.instance != inc.domain) {
      continue;
    }
    if (opt.since.known() && inc.started.known() && inc.started < opt.since) continue;
    if (opt.until.known() && inc.started.known() && inc.started > opt.until) continue;
    note_budget_cuts(inc);
    out.push_back(std::move(inc));
  }
  std::sort(out.begin(), out.end(), [](const incident& a, const incident& b) {
    if (a.started != b.started) return a.started < b.started;
    return a.id < b.id;
  });
  return out;
}

}  // namespace migsleuth::correlate
