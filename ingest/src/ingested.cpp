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
        [&wanted](std::string_view instance, std::string_view) {
          return !wanted.instance || wanted.instance(instance);
        });
  }
  // Read once: what was not wanted now is not wanted later.
  if (data_.deferred) decoded_before_drop_ = data_.deferred->decoded();
  data_.deferred.reset();
  return out;
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
