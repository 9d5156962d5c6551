// libarchive over our own byte streams, so that a tar member, a compressed
// member and a tarball inside a tarball are all read in one forward pass and
// never written to disk. libarchive pulls bytes through a read callback
// (archive_read_open); nothing here seeks.
//
// What it does not do: decide what a member is or who it belongs to
// (archive_ingest.cpp). Nothing throws; errors end a stream with a message.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "byte_source.hpp"

struct archive;
struct archive_entry;

namespace migsleuth::ingest {

// True when `head` (decompressed bytes) starts with a POSIX/GNU tar header:
// "ustar" at offset 257. The name of a file never decides this.
bool looks_like_tar(std::string_view head) noexcept;

// Serves bytes already read (`head`, kept to probe the content) and then the
// rest of `rest`, so a probe never costs a second read of the input.
class replay_source final : public byte_source {
 public:
  replay_source(std::string head, byte_source& rest);
  std::size_t read(char* buf, std::size_t n) override;
  std::string_view read_view(std::size_t n, std::string& scratch) override;

 private:
  std::string head_;
  std::size_t pos_ = 0;
  byte_source& rest_;
};

class entry_source;

// Reads `upstream` (already decompressed) as a tar stream, member by member.
// Sparse members' holes are taken from `budget` (bytes), never produced.
class tar_reader {
 public:
  tar_reader(byte_source& upstream, work_budget* budget);
  ~tar_reader();
  tar_reader(const tar_reader&) = delete;
  tar_reader& operator=(const tar_reader&) = delete;

  enum class step { member, end, error };
  // Moves to the next member header (skipping what was left of the last one).
  step next();
  [[nodiscard]] archive_entry* entry() const noexcept { return entry_; }
  // The current member's bytes; valid until next().
  byte_source& data() noexcept;
  // Bytes of sparse holes skipped in the current member so far.
  [[nodiscard]] std::uint64_t hole_bytes() const noexcept;
  // Why the stream stopped: libarchive's message plus the upstream's own.
  [[nodiscard]] std::string error() const;

  struct feed;  // the read callback's state (archive_reader.cpp)

 private:
  std::unique_ptr<feed> feed_;
  archive* archive_ = nullptr;
  archive_entry* entry_ = nullptr;
  work_budget* budget_;
  std::unique_ptr<entry_source> member_;
  std::string open_error_;
};

// A decompressing stream over `upstream` for codec `c`, by the same decoder
// as a file on disk (decoders.hpp; never an external program). Every byte
// out is taken from `budget`: past it the stream ends with the bomb-guard
// message.
std::unique_ptr<byte_source> decompress_stream(byte_source& upstream, compression c,
                                               work_budget& budget, std::string& error);

}  // namespace migsleuth::ingest
