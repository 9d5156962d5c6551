// Where a large oslo.log text file can be cut so that its ranges, each read
// by a fresh parser, give what one parser gives over the whole file.
//
// A cut goes before a line L whose previous line P is a record line too
// (valid oslo header) with another timestamp: the parser then starts a new
// record at L whatever came before (a continuation shares its record's
// time), so no traceback or continued message straddles a cut. The cuts
// depend only on the file's bytes and size, never on the number of threads.
#pragma once

#include <cstdint>
#include <vector>

namespace migsleuth::ingest {

// Offsets of the cuts (line starts, ascending, inside (0, size)): about one
// per `range_bytes`; a stretch with no such line within a range is not cut.
// `max_line` is the reader's line limit: lines are judged as the parser sees
// them. Empty on a read error or when the file is no longer than 2 ranges.
std::vector<std::uint64_t> find_record_cuts(int fd, std::uint64_t size,
                                            std::uint64_t range_bytes, std::uint64_t max_line);

}  // namespace migsleuth::ingest
