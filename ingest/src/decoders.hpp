// One decoder per codec, the same for a file on disk and for a member of an
// archive (issue 21: Boost.Iostreams, libzstd and libarchive used to decode
// the same formats in different places):
//   gzip         ISA-L (gzip_source.cpp); libarchive's zlib in a build without it
//   zstd         libzstd's streaming decoder
//   bzip2, xz    libarchive's raw filters (libbz2, liblzma)
// README "Performance" has what each was measured against. A decoder only
// turns packed bytes into plain ones: it takes nothing from a work budget,
// decode() wraps it in the read_ahead_source that does.
#pragma once

#include <memory>
#include <string>

#include "byte_source.hpp"

namespace migsleuth::ingest {

// A decoder for codec `c` over `upstream`; `owned`, if set, is `upstream`
// and lives as long as the decoder (else the caller keeps `upstream` alive).
// nullptr with `error` when it cannot be set up.
std::unique_ptr<byte_source> make_decoder(std::unique_ptr<byte_source> owned,
                                          byte_source& upstream, compression c,
                                          std::string& error);

// make_decoder() behind the budget: every byte out is taken from `budget`
// (the file on disk's, which must outlive the result); `unit` ("file",
// "member") names what a cut-off stream loses. With `own_thread` the decoder
// runs ahead on a thread of its own (read_ahead.hpp).
std::unique_ptr<byte_source> decode(std::unique_ptr<byte_source> owned, byte_source& upstream,
                                    compression c, work_budget& budget, std::string unit,
                                    bool own_thread, std::string& error);

}  // namespace migsleuth::ingest
