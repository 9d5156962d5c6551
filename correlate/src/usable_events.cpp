#include "migsleuth/correlate/usable_events.hpp"

#include <utility>

namespace migsleuth::correlate {
namespace {

std::vector<event> pull(event_source& source, const line_filter& usable) {
  return source.take({[&usable](std::string_view instance) { return usable.migrating(instance); },
                      [&usable](const event& ev) { return usable.may_use(ev); }});
}

}  // namespace

usable_events::usable_events(event_source& source, std::vector<input>& inputs)
    : source_(source),
      ids_(source.identities()),
      filter_(source.resident()),
      events_(pull(source, filter_)),
      hosts_(host_index::build(inputs, events_)) {
  // One name per host before anything compares hosts; the configuration
  // lines that told names apart are of no attempt.
  hosts_.rename(events_, inputs);
  hosts_.publish(ids_);
  std::erase_if(events_, [](const event& ev) { return ev.kind == event_kind::host_config; });
  // A pasted fragment's lines have no time and no instance: no attempt's.
  std::erase_if(events_, [this](event& ev) {
    if (ev.source != input_kind::unrecognized) return false;
    fragments_.push_back(std::move(ev));
    return true;
  });
}

std::vector<incident> usable_events::correlate(options opt, std::vector<event>* loose) {
  if (opt.identities == nullptr) opt.identities = &ids_;
  if (loose != nullptr) {
    for (auto& ev : fragments_) loose->push_back(std::move(ev));
  }
  fragments_.clear();
  // Lines naming no instance that waited on disk come back once attempts
  // exist to join them: they were read with the inputs' hosts, which
  // host_index renamed.
  const later_unowned later = [this](const std::function<void(event&)>& fn) {
    source_.take_unowned(fn);
  };
  return correlate::correlate(std::move(events_), filter_, opt, loose, later);
}

}  // namespace migsleuth::correlate
