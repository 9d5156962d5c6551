// The analysis' one identity index, built where the deferred lines can be
// read (HACKING "Identity index"); ingested (ingested.hpp) builds it once and
// is what the rest of an analysis uses.
//
// Ingest leaves some lines on disk (ingest_options::defer_log_lines), so the
// index is built here: from every in-memory event, every request link the
// parsers' trackers made, and one pass over the deferred lines of the
// requests that in-memory lines name without an instance (stepped over
// undecoded otherwise). Nothing else resolves identities again.
//
//   identity_index ids = index_identities(data);
//   ids.resolve(data.events);
#pragma once

#include "migsleuth/core/identity_index.hpp"
#include "migsleuth/ingest/ingest.hpp"

namespace migsleuth::ingest {

identity_index index_identities(const analysis_input& data);

}  // namespace migsleuth::ingest
