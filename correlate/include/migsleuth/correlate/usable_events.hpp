// The events correlate may use, pulled from ingest's lazy event_source
// (core/event_source.hpp) once: the one line_filter is built from the
// source's in-memory lines, and only the lines it may use are taken, so a
// line left on disk about an instance that never migrated is never decoded.
// Then one name per host (host_index) over exactly those lines and the
// inputs, as every later stage spells hosts.
//
// What it does not do: read files, or resolve identities (the source did,
// once); the pipeline decides what to report.
//
//   ingest::ingested data = ingest::ingest_events(options, shapes);
//   correlate::usable_events usable(data, data.inputs());
//   auto deployments = classifiers::detect_deployments(data.inputs(), usable.events());
//   std::vector<event> loose;
//   auto incidents = usable.correlate(opt, &loose);
#pragma once

#include <span>
#include <vector>

#include "migsleuth/core/event.hpp"
#include "migsleuth/core/event_source.hpp"
#include "migsleuth/core/identity_index.hpp"
#include "migsleuth/core/incident.hpp"
#include "migsleuth/core/input.hpp"
#include "migsleuth/correlate/correlate.hpp"
#include "migsleuth/correlate/host_index.hpp"

namespace migsleuth::correlate {

class usable_events {
 public:
  // Pulls from `source` (which must outlive this: its identity index is
  // correlate's) and joins host names over the lines taken and `inputs`:
  // both are renamed to the canonical spelling, which the source's identity
  // index learns (host_index::publish). The host_config lines, read only
  // for that, are dropped; pasted fragment lines (no time, no instance) are
  // set aside for `loose`.
  usable_events(event_source& source, std::vector<input>& inputs);
  usable_events(const usable_events&) = delete;
  usable_events& operator=(const usable_events&) = delete;

  [[nodiscard]] const line_filter& filter() const noexcept { return filter_; }
  [[nodiscard]] const host_index& hosts() const noexcept { return hosts_; }
  // The lines correlate() will receive, hosts renamed, in walk then line
  // order (in-memory lines, then the ones read back).
  [[nodiscard]] std::span<const event> events() const noexcept { return events_; }

  // correlate() over the lines (consumed: once). `loose`, when given,
  // receives the fragment lines, then the lines no attempt holds. With no
  // `opt.identities`, the source's index.
  std::vector<incident> correlate(options opt, std::vector<event>* loose = nullptr);

 private:
  event_source& source_;
  identity_index& ids_;
  line_filter filter_;
  std::vector<event> events_;
  host_index hosts_;
  std::vector<event> fragments_;
};

}  // namespace migsleuth::correlate
