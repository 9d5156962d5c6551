// gzip decoded by ISA-L's streaming inflate, about 1.5x the speed of zlib on
// the nova logs (HACKING.md, "gzip through ISA-L"). Built only when CMake
// found libisal (MIGSLEUTH_HAVE_ISAL); otherwise the callers keep zlib.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "byte_source.hpp"

namespace migsleuth::ingest {

// True when this build decodes gzip with ISA-L.
[[nodiscard]] bool have_isal_gzip() noexcept;

// Decodes the gzip bytes of `upstream` (one or more concatenated members),
// taking nothing from a budget (decoders.hpp: read_ahead_source does).
// `owned`, if set, is `upstream` and is kept alive with the decoder.
// Returns nullptr when the build has no ISA-L.
std::unique_ptr<byte_source> isal_gzip_decoder(std::unique_ptr<byte_source> owned,
                                               byte_source& upstream);
// The same with every byte out taken from `budget` (which must outlive the
// result); `unit` names what a cut-off stream loses ("file", "member") in
// the limit message. `upstream` is the caller's and must outlive the result.
std::unique_ptr<byte_source> isal_gzip_source(byte_source& upstream, work_budget& budget,
                                              std::string unit);

}  // namespace migsleuth::ingest
