#include "internal.hpp"
#include "migsleuth/correlate/correlate.hpp"

namespace migsleuth::correlate {

line_filter::line_filter(std::vector<event>& events, std::span<const identity_link> links) {
  fill_identities(events, links);
  for (const auto& ev : events) {
    if (ev.instance.empty() || !is_migration_marker(ev)) continue;
    // A marker with no time makes an attempt with no window: keep everything.
    if (!ev.time.known()) timeless_.insert(ev.instance);
    auto [it, inserted] = earliest_.emplace(ev.instance, ev.time);
    if (!inserted && ev.time.known() && (!it->second.known() || ev.time < it->second)) {
      it->second = ev.time;
    }
    auto [last, first_seen] = latest_.emplace(ev.instance, ev.time);
    if (!first_seen && ev.time.known() && (!last->second.known() || last->second < ev.time)) {
      last->second = ev.time;
    }
    if (!ev.request_id.empty()) marker_requests_.insert(ev.request_id);
  }
}

// A superset of what split_attempts() keeps: it measures the lead from the
// first marker of the earliest attempt with a request id, never earlier than
// the first marker of all, and the tail from the last marker of the line's
// attempt, never later than the last marker of all.
bool line_filter::may_use(const event& ev) const {
  if (!migrating(ev.instance)) return false;
  // Where the instance was before the attempt, however long before.
  if (ev.kind == event_kind::instance_listed) return true;
  const auto it = earliest_.find(ev.instance);
  if (!ev.time.known() || !it->second.known() || timeless_.count(ev.instance) != 0) return true;
  if (!ev.request_id.empty() && marker_requests_.count(ev.request_id) != 0) return true;
  timestamp opens = it->second;
  opens.add_seconds(-kAttemptLeadSeconds);
  if (ev.time < opens) return false;
  const timestamp last = latest_.at(ev.instance);
  if (!last.known() || shows_migration_pending(ev)) return true;
  timestamp closes = last;
  closes.add_seconds(kAttemptTailSeconds);
  return !(closes < ev.time);
}

}  // namespace migsleuth::correlate
