// What ingest hands correlate besides its events: the analysis' one identity
// index, and the deferred lines read back on demand (HACKING "Identity index").
//
// Ingest leaves some lines on disk (ingest_options::defer_log_lines), so the
// index is built here, where they can be read: from every in-memory event,
// every request link the parsers' trackers made, and one pass over the
// deferred lines of the requests that in-memory lines name without an
// instance (stepped over undecoded otherwise). Nothing else resolves
// identities again.
//
//   identity_index ids = index_identities(data);
//   ids.resolve(data.events);
//   correlate::line_filter usable(data.events);
//   load_deferred(data, [&](std::string_view i) { return usable.migrating(i); },
//                 [&](const event& ev) { return usable.may_use(ev); });
#pragma once

#include <functional>
#include <string_view>

#include "migsleuth/core/event.hpp"
#include "migsleuth/core/identity_index.hpp"
#include "migsleuth/ingest/ingest.hpp"

namespace migsleuth::ingest {

identity_index index_identities(const analysis_input& data);

// Appends to data.events the deferred lines whose instance `wanted_instance`
// accepts (the others are never decoded) and that `keep` accepts, in walk
// then line order, then drops the deferred store: they are read once more at
// most, here.
void load_deferred(analysis_input& data,
                   const std::function<bool(std::string_view instance)>& wanted_instance,
                   const std::function<bool(const event&)>& keep);

}  // namespace migsleuth::ingest
