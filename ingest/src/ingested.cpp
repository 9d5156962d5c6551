#include "migsleuth/ingest/ingested.hpp"

#include <utility>

#include "migsleuth/ingest/deferred_events.hpp"
#include "migsleuth/ingest/identities.hpp"

namespace migsleuth::ingest {

ingested::ingested(analysis_input data) : data_(std::move(data)) {
  deferred_lines_ = data_.deferred ? data_.deferred->count() : 0;
  if (data_.cancelled) return;  // not reported: nothing to resolve
  ids_ = index_identities(data_);
  ids_.resolve(data_.events);
}

std::vector<event> ingested::take(const wanted_lines& wanted) {
  std::vector<event> out = std::move(data_.events);
  data_.events = {};
  if (data_.deferred && data_.deferred->count() > 0) {
    for_each_deferred(
        data_, [&](event& ev) {
          // A line naming no instance came here because its request names one.
          if (ev.instance.empty()) ids_.resolve(ev);
          // A line set aside whole was in memory before: handed over as such.
          // Another operation's line was too, but correlate keeps only those
          // inside an attempt, as the line filter does: filtered here, the
          // others of a migrating instance are not held until then.
          const bool judged = deferred_events::deferrable(ev) ||
                              deferred_events::set_aside_operation(ev);
          if (!wanted.line || !judged || wanted.line(ev)) {
            out.push_back(std::move(ev));
          }
        },
        [this, &wanted](std::string_view instance, std::string_view request_id) {
          if (instance.empty()) instance = ids_.instance_of_request(request_id);
          return !instance.empty() && (!wanted.instance || wanted.instance(instance));
        });
  }
  // Read once: what was not wanted now is not wanted later.
  if (data_.deferred && data_.deferred->unowned_lines() > 0) {
    clock_shift_.assign(data_.inputs.size(), 0);
    for (std::size_t i = 0; i < data_.inputs.size(); ++i) {
      const auto it = data_.local_clock_shift.find(data_.inputs[i].host);
      if (it != data_.local_clock_shift.end()) clock_shift_[i] = it->second;
    }
    return out;
  }
  if (data_.deferred) decoded_before_drop_ = data_.deferred->decoded();
  data_.deferred.reset();
  return out;
}

void ingested::take_unowned(const std::function<void(event&)>& fn) {
  if (!data_.deferred) return;
  data_.deferred->for_each(
      [&](event& ev) {
        // As for_each_deferred, with the shift the line's host had.
        if (ev.where.input < data_.inputs.size()) ev.host = data_.inputs[ev.where.input].host;
        if (ev.local_clock && ev.where.input < clock_shift_.size()) {
          ev.time.add_seconds(-clock_shift_[ev.where.input]);
        }
        fn(ev);
      },
      [this](std::string_view instance, std::string_view request_id) {
        return instance.empty() && ids_.instance_of_request(request_id).empty();
      });
  decoded_before_drop_ = data_.deferred->decoded();
  data_.deferred.reset();
}

std::size_t ingested::deferred_decoded() const {
  return data_.deferred ? data_.deferred->decoded() : decoded_before_drop_;
}

ingested ingest_events(const ingest_options& options,
                       std::shared_ptr<const parsers::shape_set> shapes) {
  ingest_options deferring = options;
  deferring.defer_log_lines = true;
  return ingested(ingest(deferring, std::move(shapes)));
}

}  // namespace migsleuth::ingest
