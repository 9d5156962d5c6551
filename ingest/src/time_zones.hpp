// Derives each host's UTC offset for its naive (oslo.log text) times from
// pairs of nova and libvirt lines on the same host, applies it, and says in
// each input's `clock` which offset was used and why. --tz wins.
#pragma once

#include "migsleuth/ingest/ingest.hpp"

namespace migsleuth::ingest {

void derive_time_zones(analysis_input& out, const ingest_options& opt);

}  // namespace migsleuth::ingest
