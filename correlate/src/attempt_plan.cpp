// Which attempts an instance's migration lines define, and which attempt any
// other line of the instance falls in. line_filter builds one per migrating
// instance before the deferred lines are read, and split_attempts() places
// lines with that same plan (correlate() is handed the filter), so both keep
// exactly the same lines.
#include <algorithm>
#include <map>

#include "internal.hpp"
#include "migsleuth/core/captures.hpp"
#include "migsleuth/correlate/correlate.hpp"

namespace migsleuth::correlate {
namespace {

// A line this much after an attempt's start, with no request id of its own,
// belongs to the latest attempt that had started by then.
constexpr std::int64_t kSkewSlackSeconds = 120;

void keep_earliest(timestamp& slot, timestamp t) {
  if (t.known() && (!slot.known() || t < slot)) slot = t;
}

void keep_latest(timestamp& slot, timestamp t) {
  if (t.known() && (!slot.known() || slot < t)) slot = t;
}

}  // namespace

attempt_plan::attempt_plan(std::span<const event* const> markers) {
  std::map<std::string, timestamp> anchors;
  timestamp first_of_all;
  for (const event* ev : markers) {
    keep_earliest(first_of_all, ev->time);
    if (ev->request_id.empty()) continue;
    auto [it, inserted] = anchors.emplace(ev->request_id, ev->time);
    if (!inserted) keep_earliest(it->second, ev->time);
  }
  for (const auto& [req, first] : anchors) attempts_.push_back({req, first, {}});
  if (attempts_.empty()) attempts_.push_back({{}, first_of_all, {}});
  std::sort(attempts_.begin(), attempts_.end(), [](const attempt& a, const attempt& b) {
    if (a.first != b.first) return a.first < b.first;
    return a.request_id < b.request_id;
  });
  for (const event* ev : markers) {
    keep_latest(attempts_[of_request(ev->request_id).value_or(home_of(ev->time))].last_marker,
                ev->time);
  }
}

std::optional<std::size_t> attempt_plan::of_request(const std::string& request_id) const {
  if (request_id.empty()) return std::nullopt;
  for (std::size_t i = 0; i < attempts_.size(); ++i) {
    if (attempts_[i].request_id == request_id) return i;
  }
  return std::nullopt;
}

std::size_t attempt_plan::home_of(timestamp t) const {
  if (!t.known()) return attempts_.size() - 1;
  std::size_t home = 0;
  t.add_seconds(kSkewSlackSeconds);
  for (std::size_t i = 0; i < attempts_.size(); ++i) {
    if (!attempts_[i].first.known() || attempts_[i].first <= t) home = i;
  }
  return home;
}

std::optional<std::size_t> attempt_plan::place(const event& ev) const {
  if (auto own = of_request(ev.request_id)) return own;
  const std::size_t home = home_of(ev.time);
  if (!ev.time.known()) return home;
  const attempt& a = attempts_[home];
  timestamp opens = a.first;
  opens.add_seconds(-kAttemptLeadSeconds);
  if (a.first.known() && ev.time < opens) return std::nullopt;  // older, unrelated lines
  timestamp closes = a.last_marker;
  closes.add_seconds(kAttemptTailSeconds);
  if (closes.known() && closes < ev.time && !shows_migration_pending(ev)) return std::nullopt;
  return home;
}

bool shows_migration_pending(const event& ev) noexcept {
  return ev.kind == event_kind::task_pending && ev.value(capture::task) == "migrating";
}

}  // namespace migsleuth::correlate
