#include <map>

#include "internal.hpp"
#include "migsleuth/correlate/correlate.hpp"

namespace migsleuth::correlate {

line_filter::line_filter(std::span<const event> events) {
  std::map<std::string, std::vector<const event*>> markers;
  for (const auto& ev : events) {
    if (!ev.instance.empty() && is_migration_marker(ev)) markers[ev.instance].push_back(&ev);
  }
  for (const auto& [instance, list] : markers) {
    plans_.emplace(instance, std::make_unique<const attempt_plan>(list));
  }
}

line_filter::~line_filter() = default;

bool line_filter::may_use(const event& ev) const {
  const auto it = ev.instance.empty() ? plans_.end() : plans_.find(ev.instance);
  if (it == plans_.end()) return false;
  // Where the instance was before the attempt, however long before.
  if (ev.kind == event_kind::instance_listed) return true;
  return it->second->place(ev).has_value();
}

const attempt_plan* line_filter::plan_of(std::string_view instance) const {
  const auto it = plans_.find(instance);
  return it == plans_.end() ? nullptr : it->second.get();
}

}  // namespace migsleuth::correlate
